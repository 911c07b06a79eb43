/** A fix's code added to another file (Fix.addToFile): made from that file's text when the fix is applied. */
import * as assert from 'node:assert/strict';
import { addToFileEdits } from '../../server/src/engine/add-to-file';
import type { AddToFile } from '../../server/src/engine/finding';
import { applyEdits } from '../../server/src/engine/fix-selection';

const TASK: AddToFile = {
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
