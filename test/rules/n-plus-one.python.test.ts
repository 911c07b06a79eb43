import { ruleTests } from '../harness/rule-tester';

ruleTests('n-plus-one', {
  valid: [
    {
      name: 'a list of dicts',
      file: 'views.py',
      code: 'def names(rows, users):\n    for row in rows:\n        user = users.get(row["user_id"])\n    return [r["name"] for r in rows]\n',
      why: 'dict lookups, not queries',
    },
    {
      name: 'a query that does not use the item',
      file: 'views.py',
      code: 'from .models import Setting\n\ndef f(items):\n    for item in items:\n        setting = Setting.objects.get(key="currency")\n',
      why: 'loop-invariant: not one query per item',
    },
    {
      name: 'a query before the loop',
      file: 'views.py',
      code: 'from .models import Author\n\ndef f(posts):\n    authors = Author.objects.in_bulk([p.author_id for p in posts])\n    return [authors[p.author_id] for p in posts]\n',
      why: 'one batched query whose argument is a comprehension over the items',
    },
  ],
  invalid: [
    {
      name: 'Django get per item',
      file: 'views.py',
      code: 'from .models import Author\n\ndef f(posts):\n    for post in posts:\n        author = Author.objects.get(pk=post.author_id)\n',
      findings: [{ line: 5, message: /`Author\.objects\.get\(pk=post\.author_id\)` runs once per item of `posts`.*in_bulk/ }],
    },
    {
      name: 'Django filter().count() in a comprehension',
      file: 'views.py',
      code: 'from .models import Comment\n\ndef counts(posts):\n    return {p.id: Comment.objects.filter(post=p).count() for p in posts}\n',
      findings: [{ line: 4 }],
    },
    {
      name: 'SQLAlchemy session.get per item',
      file: 'repo.py',
      code: 'from sqlalchemy.orm import Session\nfrom .models import User\n\ndef f(session: Session, ids):\n    return [session.get(User, i) for i in ids]\n',
      findings: [{ line: 5, message: /in_\(ids\)/ }],
    },
    {
      name: 'SQLAlchemy select per item',
      file: 'repo.py',
      code: 'from sqlalchemy import select\nfrom .models import Order\n\ndef f(session, customers):\n    for c in customers:\n        orders = session.execute(select(Order).where(Order.customer_id == c.id)).scalars().all()\n',
      findings: [{ line: 6 }],
    },
    {
      name: 'Django create per item',
      file: 'views.py',
      code: 'from .models import Tag\n\ndef f(names):\n    for name in names:\n        Tag.objects.create(name=name)\n',
      findings: [{ line: 5, message: /bulk_create/ }],
    },
  ],
});
