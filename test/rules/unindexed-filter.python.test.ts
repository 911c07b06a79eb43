import { ruleTests } from '../harness/rule-tester';

const MODELS = `from django.conf import settings
from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=100)
    email = models.EmailField()
    handle = models.CharField(max_length=30, unique=True)
    slug = models.SlugField()
    city = models.CharField(max_length=50, db_index=True)
    joined = models.DateTimeField()
    active = models.BooleanField(default=True)
    kind = models.CharField(max_length=10, choices=[("a", "A"), ("b", "B")])
    country = models.CharField(max_length=2)
    code = models.CharField(max_length=10)
    login = models.CharField(max_length=30, unique=settings.UNIQUE_LOGIN)

    class Meta:
        indexes = [models.Index(fields=["-country", "name"])]
        unique_together = [("code", "city")]


class Book(models.Model):
    title = models.CharField(max_length=200)
    isbn = models.CharField(max_length=13)
    author = models.ForeignKey(Author, on_delete=models.CASCADE)
`;
const workspace = { 'library/models.py': MODELS };
const VIEW = 'from django.shortcuts import render\nfrom .models import Author, Book\n\n\n';

ruleTests('unindexed-filter', {
  valid: [
    {
      name: 'unique, db_index, SlugField, the primary key, unique by a setting (allauth\'s `unique=app_settings.UNIQUE_EMAIL`)',
      file: 'library/views.py',
      code: `${VIEW}def author(request, handle, slug, city, pk):\n    a = Author.objects.get(handle=handle, login=handle)\n    a = Author.objects.get(login=handle)\n    b = Author.objects.filter(slug=slug).first()\n    c = Author.objects.filter(city__in=[city]).count()\n    d = Author.objects.get(pk=pk)\n    e = Author.objects.get(id=pk)\n    return render(request, "a.html", {"a": a})\n`,
      why: 'each has an index of its own (SlugField indexes itself unless db_index=False)',
      workspace,
    },
    {
      name: 'the first field of Meta.indexes and of unique_together',
      file: 'library/views.py',
      code: `${VIEW}def by_country(request, c, code):\n    a = list(Author.objects.filter(country=c, joined__gte=request.GET["since"])[:20])\n    b = Author.objects.get(code=code, city="x")\n    return render(request, "a.html", {"a": a, "b": b})\n`,
      why: 'Index(fields=["-country", "name"]) and unique_together ("code", "city") start with them',
      workspace,
    },
    {
      name: 'a foreign key, by the relation and by its column',
      file: 'library/views.py',
      code: `${VIEW}def books(request, author_id):\n    a = list(Book.objects.filter(author_id=author_id)[:50])\n    b = list(Book.objects.filter(author=request.user.author)[:50])\n    return render(request, "b.html", {"a": a, "b": b})\n`,
      why: 'Django indexes a ForeignKey unless db_index=False',
      workspace,
    },
    {
      name: 'a boolean and choices only',
      file: 'library/views.py',
      code: `${VIEW}def active(request):\n    n = Author.objects.filter(active=True, kind="a").count()\n    return render(request, "a.html", {"n": n})\n`,
      why: 'few distinct values: an index on them alone rarely narrows the read',
      workspace,
    },
    {
      name: 'a Q object, a relation path, a transform, icontains, isnull',
      file: 'library/views.py',
      code: `${VIEW}from django.db.models import Q\n\n\ndef search(request, q):\n    a = Author.objects.filter(Q(email=q) | Q(handle=q)).first()\n    b = Book.objects.filter(author__email=q, title=q).first()\n    c = Author.objects.filter(joined__date=q, email=q).first()\n    d = list(Author.objects.filter(name__icontains=q)[:20])\n    e = list(Author.objects.filter(email__isnull=True)[:20])\n    return render(request, "a.html", {"a": a})\n`,
      why: 'conditions not read here might be the selective, indexed ones; the others no plain index serves',
      workspace,
    },
    {
      name: 'no models module in the workspace, and a model it does not declare',
      file: 'library/views.py',
      code: `${VIEW}from django.contrib.auth.models import User\n\n\ndef user(request, email):\n    u = User.objects.filter(email=email).first()\n    return render(request, "u.html", {"u": u})\n`,
      why: 'the indexes of User are not known here',
      workspace,
    },
    {
      name: 'exclude is not a filter an index serves',
      file: 'library/views.py',
      code: `${VIEW}def others(request, email):\n    a = list(Author.objects.exclude(email=email)[:20])\n    return render(request, "a.html", {"a": a})\n`,
      why: 'a negated condition',
      workspace,
    },
  ],
  invalid: [
    {
      name: 'get by a plain field',
      file: 'library/views.py',
      code: `${VIEW}def author(request, email):\n    a = Author.objects.get(email=email)\n    return render(request, "a.html", {"a": a})\n`,
      findings: [{ line: 6, message: /`Author\.objects\.get\(email=email\)` filters Author by `email`, and no index of Author starts with it.*Add `db_index=True` to `Author\.email` in models\.py, then make its migration \(`python manage\.py makemigrations`\)\./ }],
      otherFile: { path: 'library/models.py', text: MODELS.replace('email = models.EmailField()', 'email = models.EmailField(db_index=True)') },
      workspace,
    },
    {
      name: 'chained filters, equality and a range (the index: equality first); a boolean beside them; a foreign key tested for null',
      file: 'library/views.py',
      code: `${VIEW}def recent(request, isbn):\n    books = Book.objects.filter(title__gte="a").filter(isbn=isbn, author__isnull=False)\n    authors = Author.objects.filter(active=True).filter(joined__gte=request.GET["since"], name=request.GET["name"]).order_by("-joined")[:20]\n    return render(request, "b.html", {"books": books, "authors": authors})\n`,
      findings: [
        { line: 6, message: /filters Book by `title`, `isbn`, .*`db_index=True` to `Book\.isbn`.*or a `models\.Index\(fields=\["isbn", "title"\]\)` in its `Meta\.indexes`/ },
        { line: 7, message: /filters Author by `joined`, `name`, .*`db_index=True` to `Author\.name`/ },
      ],
      otherFile: { path: 'library/models.py', text: MODELS.replace('isbn = models.CharField(max_length=13)', 'isbn = models.CharField(max_length=13, db_index=True)') },
      workspace,
    },
    {
      name: 'get_object_or_404 and get_list_or_404 filter as get() does',
      file: 'library/views.py',
      code: `from django.shortcuts import get_list_or_404, get_object_or_404, render\nfrom .models import Author, Book\n\n\ndef book(request, isbn, slug):\n    b = get_object_or_404(Book, isbn=isbn)\n    a = get_object_or_404(Author, slug=slug)\n    c = get_list_or_404(Author, email=request.GET["email"])\n    return render(request, "b.html", {"b": b, "a": a, "c": c})\n`,
      findings: [{ line: 6, message: /`get_object_or_404\(Book, isbn=isbn\)` filters Book by `isbn`/ }, { line: 8, message: /filters Author by `email`/ }],
      otherFile: { path: 'library/models.py', text: MODELS.replace('isbn = models.CharField(max_length=13)', 'isbn = models.CharField(max_length=13, db_index=True)') },
      workspace,
    },
    {
      name: 'an update in a Celery task: the rows to update are found the same way',
      file: 'library/tasks.py',
      code: `from celery import shared_task\nfrom .models import Book\n\n\n@shared_task\ndef touch(isbn):\n    Book.objects.filter(isbn=isbn).update(title="x")\n`,
      findings: [{ line: 7, message: /filters Book by `isbn`/ }],
      otherFile: { path: 'library/models.py', text: MODELS.replace('isbn = models.CharField(max_length=13)', 'isbn = models.CharField(max_length=13, db_index=True)') },
      workspace,
    },
  ],
});
