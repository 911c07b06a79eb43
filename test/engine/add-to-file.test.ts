/** A fix's code added to another file (Fix.addToFile): made from that file's text when the fix is applied. */
import * as assert from 'node:assert/strict';
import { addToFileEdits } from '../../server/src/engine/add-to-file';
import type { AddBlock, AddToFile } from '../../server/src/engine/finding';
import { applyEdits } from '../../server/src/engine/fix-selection';

const TASK: AddBlock = {
  kind: 'block',
  path: '/ws/blog/tasks.py',
  imports: ['from celery import shared_task', 'from django.core.mail import send_mail'],
  block: '@shared_task\ndef send_mail_task(*args, **kwargs):\n    send_mail(*args, **kwargs)\n',
  defines: 'send_mail_task',
};
const BLOCK = TASK.block;
const add = (text: string, what: AddToFile = TASK): string => applyEdits(text, addToFileEdits(what, text));

describe('engine: code a fix adds to another file', () => {
  it('a new file: the imports, then the block', () => {
    assert.equal(add(''), `from celery import shared_task\nfrom django.core.mail import send_mail\n\n\n${BLOCK}`);
  });

  it('an existing tasks module: the missing import after the others, the block two blank lines below the last code', () => {
    const text = `"""Tasks of the blog."""\nfrom celery import shared_task\nfrom .models import Post\n\n\n@shared_task\ndef reindex(post_id):\n    Post.objects.get(pk=post_id).reindex()\n`;
    assert.equal(
      add(text),
      `"""Tasks of the blog."""\nfrom celery import shared_task\nfrom .models import Post\nfrom django.core.mail import send_mail\n\n\n@shared_task\ndef reindex(post_id):\n    Post.objects.get(pk=post_id).reindex()\n\n\n${BLOCK}`,
    );
  });

  it('imports already there in another form (a parenthesised list, an alias) are not repeated; a file without a final newline gets one', () => {
    const text = `from celery import (\n    group,\n    shared_task,\n)\nfrom django.core.mail import mail_admins, send_mail\n\nX = 1`;
    assert.equal(add(text), `${text}\n\n\n${BLOCK}`);
  });

  it('a multi-line import is passed whole; a file with a docstring and no imports gets them after it', () => {
    const text = `from celery import (\n    group,\n)\n\nX = 1\n`;
    assert.equal(add(text), `from celery import (\n    group,\n)\nfrom celery import shared_task\nfrom django.core.mail import send_mail\n\nX = 1\n\n\n${BLOCK}`);
    assert.equal(add(`"""Background jobs."""\n`), `"""Background jobs."""\nfrom celery import shared_task\nfrom django.core.mail import send_mail\n\n\n${BLOCK}`);
  });

  it('the task defined already (an earlier fix): only what is missing, nothing twice', () => {
    const once = add('');
    assert.equal(add(once), once);
    assert.deepEqual(addToFileEdits(TASK, once), []);
  });
});

describe('engine: an index a fix adds where the model is declared', () => {
  const prisma = (fields: string[]): AddToFile => ({ kind: 'index', path: '/ws/prisma/schema.prisma', orm: 'prisma', model: 'User', fields });
  const django = (field: string, model = 'Author'): AddToFile => ({ kind: 'index', path: '/ws/blog/models.py', orm: 'django', model, fields: [field] });

  it('schema.prisma: @@index before the closing brace, a blank line after the fields, indented as they are', () => {
    const text = 'model Post {\n  id Int @id\n}\n\nmodel User {\n    id    Int    @id\n    email String\n}\n';
    assert.equal(add(text, prisma(['email'])), 'model Post {\n  id Int @id\n}\n\nmodel User {\n    id    Int    @id\n    email String\n\n    @@index([email])\n}\n');
  });

  it('schema.prisma: after other block attributes with no blank line; CRLF kept; nothing when an index starts with the fields or the model is gone', () => {
    const text = 'model User {\r\n  id    Int    @id\r\n  email String\r\n  name  String\r\n\r\n  @@index([name])\r\n}\r\n';
    assert.equal(add(text, prisma(['email', 'name'])), 'model User {\r\n  id    Int    @id\r\n  email String\r\n  name  String\r\n\r\n  @@index([name])\r\n  @@index([email, name])\r\n}\r\n');
    assert.deepEqual(addToFileEdits(prisma(['name']), text), []);
    assert.deepEqual(addToFileEdits(prisma(['id']), text), []);
    assert.deepEqual(addToFileEdits(prisma(['email']), 'model Post {\n  id Int @id\n}\n'), []);
  });

  it('models.py: db_index=True among the field arguments, in the class named, as the call is written', () => {
    const text = [
      'class Post(models.Model):',
      '    email = models.EmailField()',
      '',
      'class Author(models.Model):',
      '    name = models.CharField(max_length=100)  # (the display name)',
      '    email = models.EmailField()',
      '    code = models.CharField(',
      '        max_length=10,',
      '        help_text="a (code)",',
      '    )',
      '    city: str = models.CharField(max_length=50,)',
      '',
    ].join('\n');
    const withEmail = add(text, django('email'));
    assert.match(withEmail, /class Author\(models\.Model\):\n {4}name = models\.CharField\(max_length=100\) {2}# \(the display name\)\n {4}email = models\.EmailField\(db_index=True\)/);
    assert.match(withEmail, /class Post\(models\.Model\):\n {4}email = models\.EmailField\(\)\n/);
    assert.match(add(text, django('name')), /name = models\.CharField\(max_length=100, db_index=True\) {2}#/);
    assert.match(add(text, django('code')), /help_text="a \(code\)",\n {8}db_index=True,\n {4}\)/);
    assert.match(add(text, django('city')), /city: str = models\.CharField\(max_length=50, db_index=True\)/);
  });

  it('models.py: nothing when the field says db_index already, or the model or field is not there', () => {
    const text = 'class Author(models.Model):\n    email = models.EmailField(db_index=False)\n\nemail = models.EmailField()\n';
    assert.deepEqual(addToFileEdits(django('email'), text), []);
    assert.deepEqual(addToFileEdits(django('name'), text), []);
    assert.deepEqual(addToFileEdits(django('email', 'Editor'), text), []);
  });
});

describe('engine: @Index() a fix adds to a TypeORM entity', () => {
  const typeorm = (property: string, model = 'User'): AddToFile => ({ kind: 'index', path: '/ws/src/user.entity.ts', orm: 'typeorm', model, fields: [property] });

  it('above the property, after its decorators; Index joins a one-line import', () => {
    const text = "import { Column, Entity } from 'typeorm';\n\n@Entity()\nexport class User {\n  @Column({\n    length: 254,\n  })\n  email!: string;\n\n  @Column() name: string;\n}\n";
    assert.equal(add(text, typeorm('email')), "import { Column, Entity, Index } from 'typeorm';\n\n@Entity()\nexport class User {\n  @Column({\n    length: 254,\n  })\n  @Index()\n  email!: string;\n\n  @Column() name: string;\n}\n");
    assert.match(add(text, typeorm('name')), /\n {2}@Index\(\) @Column\(\) name: string;\n/);
  });

  it('a multi-line import gets Index on a line of its own; a file with no import from typeorm gets one; nothing for another class', () => {
    const text = "import {\n  Column,\n  Entity,\n} from 'typeorm';\n\n@Entity()\nexport class User {\n  @Column()\n  private readonly email: string;\n}\n";
    assert.match(add(text, typeorm('email')), /^import \{\n {2}Column,\n {2}Entity,\n {2}Index,\n\} from 'typeorm';\n[\s\S]*\n {2}@Column\(\)\n {2}@Index\(\)\n {2}private readonly email: string;\n/);
    const bare = "import { Entity, Column } from './orm';\n\n@Entity()\nexport class User {\n  @Column()\n  email: string;\n}\n";
    assert.match(add(bare, typeorm('email')), /^import \{ Entity, Column \} from '\.\/orm';\nimport \{ Index \} from 'typeorm';\n/);
    assert.deepEqual(addToFileEdits(typeorm('email', 'Post'), text), []);
  });
});
