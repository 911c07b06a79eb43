/** Django QuerySet chains → SQL: exact text per shape, with Django's table and column naming. */
import * as assert from 'node:assert/strict';
import { assertTranslatesOrRefuses, translateIn } from './translate';

const MODELS = `from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=200)
    email = models.EmailField(unique=True)
    age = models.IntegerField(null=True)


class Tag(models.Model):
    name = models.CharField(max_length=50)

    class Meta:
        db_table = "tags"


class Post(models.Model):
    title = models.CharField(max_length=200)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="posts")
    editor = models.ForeignKey("Author", null=True, on_delete=models.SET_NULL, db_column="editor")
    tags = models.ManyToManyField(Tag)
    published = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
`;

const POST = '"blog_post"."id", "blog_post"."title", "blog_post"."author_id", "blog_post"."editor", "blog_post"."published", "blog_post"."created_at"';
const AUTHOR = '"blog_author"."id", "blog_author"."name", "blog_author"."email", "blog_author"."age"';

async function sql(code: string): Promise<{ sql: string; notes: string[]; description: string }> {
  const views = `from django.db.models import Count, F, Max, Sum

from .models import Author, Post, Tag

PAGE_SIZE = 20


def view(request, author_id):
    page = int(request.GET.get("page", 1))
    start = (page - 1) * PAGE_SIZE
    result = ${code}
    return result
`;
  return translateIn({ '/ws/blog/models.py': MODELS, '/ws/blog/views.py': views }, '/ws/blog/views.py', code);
}

describe('orm-sql: Django', () => {
  const cases: Array<[string, string, string]> = [
    ['the default table is <app>_<model>; Meta.ordering orders an unordered queryset', 'Post.objects.all()', `SELECT ${POST} FROM "blog_post" ORDER BY "blog_post"."created_at" DESC`],
    ['filter with lookups; order_by replaces Meta.ordering', 'Post.objects.filter(published=True, id__in=[1, 2], created_at__gte="2024-01-01").order_by("title", "-id")', `SELECT ${POST} FROM "blog_post" WHERE "blog_post"."published" = true AND "blog_post"."id" IN (1, 2) AND "blog_post"."created_at" >= '2024-01-01' ORDER BY "blog_post"."title" ASC, "blog_post"."id" DESC`],
    ['icontains compares UPPER(); text lookups on other types cast to text', 'Author.objects.filter(name__icontains="ann", age__startswith="4")', `SELECT ${AUTHOR} FROM "blog_author" WHERE UPPER("blog_author"."name") LIKE UPPER('%ann%') AND "blog_author"."age"::text LIKE '4%'`],
    ['isnull; a foreign key compares its <field>_id column, db_column wins', 'Post.objects.filter(editor__isnull=True, author=5, author__id=6).order_by()', `SELECT ${POST} FROM "blog_post" WHERE "blog_post"."editor" IS NULL AND "blog_post"."author_id" = 5 AND "blog_post"."author_id" = 6`],
    ['a lookup across a foreign key joins', 'Post.objects.filter(author__name="Ann").order_by("id")', `SELECT ${POST} FROM "blog_post" INNER JOIN "blog_author" ON ("blog_post"."author_id" = "blog_author"."id") WHERE "blog_author"."name" = 'Ann' ORDER BY "blog_post"."id" ASC`],
    ['exclude on a nullable column keeps NULL rows out of the NOT', 'Author.objects.exclude(age=3)', `SELECT ${AUTHOR} FROM "blog_author" WHERE NOT ("blog_author"."age" = 3 AND "blog_author"."age" IS NOT NULL)`],
    ['slicing with a constant page', 'Post.objects.order_by("id")[40:60]', `SELECT ${POST} FROM "blog_post" ORDER BY "blog_post"."id" ASC LIMIT 20 OFFSET 40`],
    ['get() reads up to 21 rows', 'Author.objects.get(email="a@b.c")', `SELECT ${AUTHOR} FROM "blog_author" WHERE "blog_author"."email" = 'a@b.c' LIMIT 21`],
    ['first() orders by the primary key when unordered', 'Author.objects.filter(age__gt=30).first()', `SELECT ${AUTHOR} FROM "blog_author" WHERE "blog_author"."age" > 30 ORDER BY "blog_author"."id" ASC LIMIT 1`],
    ['last() reverses Meta.ordering', 'Post.objects.last()', `SELECT ${POST} FROM "blog_post" ORDER BY "blog_post"."created_at" ASC LIMIT 1`],
    ['count drops the ordering', 'Post.objects.filter(published=False).count()', 'SELECT COUNT(*) AS "__count" FROM "blog_post" WHERE "blog_post"."published" = false'],
    ['exists', 'Post.objects.filter(title="x").exists()', `SELECT 1 AS "a" FROM "blog_post" WHERE "blog_post"."title" = 'x' LIMIT 1`],
    ['values', 'Post.objects.values("id", "title")', 'SELECT "blog_post"."id", "blog_post"."title" FROM "blog_post" ORDER BY "blog_post"."created_at" DESC'],
    ['values across a foreign key joins; a nullable one is a LEFT OUTER JOIN', 'Post.objects.values_list("title", "author__name").order_by()', 'SELECT "blog_post"."title", "blog_author"."name" FROM "blog_post" INNER JOIN "blog_author" ON ("blog_post"."author_id" = "blog_author"."id")'],
    ['values across a nullable foreign key', 'Post.objects.values("editor__email").order_by()', 'SELECT "blog_author"."email" FROM "blog_post" LEFT OUTER JOIN "blog_author" ON ("blog_post"."editor" = "blog_author"."id")'],
    ['a many-to-many filter joins the join table (Meta.db_table of the target kept)', 'Post.objects.filter(tags__name="orm").count()', 'SELECT COUNT(*) AS "__count" FROM "blog_post" INNER JOIN "blog_post_tags" ON ("blog_post"."id" = "blog_post_tags"."post_id") INNER JOIN "tags" ON ("blog_post_tags"."tag_id" = "tags"."id") WHERE "tags"."name" = \'orm\''],
  ];
  for (const [name, code, expected] of cases) {
    it(name, async () => assert.equal((await sql(code)).sql, expected));
  }

  it('select_related joins and selects the related columns; a nullable key is a LEFT OUTER JOIN', async () => {
    const t = await sql('Post.objects.select_related("author").order_by("id")[:10]');
    assert.equal(t.sql, `SELECT ${POST}, ${AUTHOR} FROM "blog_post" INNER JOIN "blog_author" ON ("blog_post"."author_id" = "blog_author"."id") ORDER BY "blog_post"."id" ASC LIMIT 10`);
    const nullable = await sql('Post.objects.select_related("editor")');
    assert.match(nullable.sql, /LEFT OUTER JOIN "blog_author" ON \("blog_post"\."editor" = "blog_author"\."id"\)/);
  });

  it('run-time values become $n; a page of [start:start + PAGE_SIZE] is LIMIT 20 OFFSET $n', async () => {
    const t = await sql('Post.objects.filter(published=True, author_id=author_id).order_by("-created_at")[start:start + PAGE_SIZE]');
    assert.equal(t.sql, `SELECT ${POST} FROM "blog_post" WHERE "blog_post"."published" = true AND "blog_post"."author_id" = $1 ORDER BY "blog_post"."created_at" DESC LIMIT 20 OFFSET $2`);
    assert.match(t.notes[0], /^\$1 = `author_id`/);
    assert.match(t.notes[1], /^\$2 = `start`/);
    assert.equal(t.description, 'Post.objects… → SQL');
  });

  describe("Django's own models: the user, groups, permissions", () => {
    const USER = '"auth_user"."id", "auth_user"."password", "auth_user"."last_login", "auth_user"."is_superuser", "auth_user"."username", "auth_user"."first_name", "auth_user"."last_name", "auth_user"."email", "auth_user"."is_staff", "auth_user"."is_active", "auth_user"."date_joined"';
    const files = (models: string, call: string): Record<string, string> => ({
      '/ws/posts/models.py': models,
      '/ws/posts/views.py': `from django.contrib.auth.models import Group, User\n\nfrom .models import Member, Post\n\n\ndef view(request):\n    return ${call}\n`,
    });
    const postModels = 'from django.conf import settings\nfrom django.db import models\n\n\nclass Post(models.Model):\n    title = models.CharField(max_length=200)\n    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)\n';
    const at = async (models: string, call: string): Promise<string> => (await translateIn(files(models, call), '/ws/posts/views.py', call)).sql;

    it("select_related to settings.AUTH_USER_MODEL (or a reusable app's copy of the setting) joins auth_user", async () => {
      const copied = postModels.replace('settings.AUTH_USER_MODEL', 'app_settings.USER_MODEL');
      assert.match(await at(copied, 'Post.objects.select_related("author")'), /INNER JOIN "auth_user" ON \("posts_post"\."author_id" = "auth_user"\."id"\)/);
      assert.equal(
        await at(postModels, 'Post.objects.select_related("author").order_by("-id")[:10]'),
        `SELECT "posts_post"."id", "posts_post"."title", "posts_post"."author_id", ${USER} FROM "posts_post" INNER JOIN "auth_user" ON ("posts_post"."author_id" = "auth_user"."id") ORDER BY "posts_post"."id" DESC LIMIT 10`,
      );
    });

    it('create_user() and create_superuser(): every field inserted, the password hashed, is_staff and is_superuser set', async () => {
      const t = await translateIn(files(postModels, 'User.objects.create_user("ann", "ann@example.com", "pw")'), '/ws/posts/views.py', 'User.objects.create_user("ann", "ann@example.com", "pw")');
      assert.match(t.sql, /^INSERT INTO "auth_user" \("password", "last_login", "is_superuser", "username", "first_name", "last_name", "email", "is_staff", "is_active", "date_joined"\) VALUES \(\$1, \$2, false, 'ann', \$3, \$4, 'ann@example\.com', false, \$5, \$6\) RETURNING "auth_user"\."id"$/);
      assert.match(t.notes[0], /^\$1 = `the hash of the password \(make_password\)`/);
      assert.equal(t.description, 'User.objects.create_user() → SQL');
      const su = await at(postModels, 'User.objects.create_superuser(username="root", email=email, password="x", first_name="R")');
      assert.match(su, /VALUES \(\$1, \$2, true, 'root', 'R', \$3, \$4, true, \$5, \$6\)/);
      await assert.rejects(at(postModels, 'User.objects.create_user(*names)'), /create_user\(\) with `\*names` is not translated/);
    });

    it('User.objects reads auth_user; a filter across groups joins auth_user_groups', async () => {
      const active = `SELECT ${USER} FROM "auth_user" WHERE "auth_user"."is_active" = true`;
      assert.equal(await at(postModels, 'User.objects.filter(is_active=True)'), active);
      assert.equal(
        await at(postModels, 'User.objects.filter(groups__name="staff").count()'),
        'SELECT COUNT(*) AS "__count" FROM "auth_user" INNER JOIN "auth_user_groups" ON ("auth_user"."id" = "auth_user_groups"."user_id") INNER JOIN "auth_group" ON ("auth_user_groups"."group_id" = "auth_group"."id") WHERE "auth_group"."name" = \'staff\'',
      );
    });

    it("a swapped user model (the settings of manage.py's project) is the one a key to the user, and `User`, name", async () => {
      const project = {
        '/ws/manage.py': 'import os\n\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
        '/ws/mysite/settings/__init__.py': 'from .base import *\n',
        '/ws/mysite/settings/base.py': 'INSTALLED_APPS = ["accounts", "posts"]\nAUTH_USER_MODEL = "accounts.Account"\n',
        '/ws/accounts/models.py': 'from django.contrib.auth.models import AbstractUser\nfrom django.db import models\n\n\nclass Account(AbstractUser):\n    karma = models.IntegerField(default=0)\n',
        '/ws/posts/models.py': postModels,
        '/ws/posts/views.py': 'from django.contrib.auth import get_user_model\n\nfrom .models import Post\n\nUser = get_user_model()\n\n\ndef view(request):\n    a = Post.objects.select_related("author").order_by("-id")[:10]\n    b = User.objects.filter(karma__gt=10)\n    c = get_user_model().objects.filter(karma__lt=0).count()\n    return a, b, c\n',
      };
      const joined = await translateIn(project, '/ws/posts/views.py', 'Post.objects');
      assert.match(joined.sql, /INNER JOIN "accounts_account" ON \("posts_post"\."author_id" = "accounts_account"\."id"\)/);
      assert.match((await translateIn(project, '/ws/posts/views.py', 'User.objects')).sql, /^SELECT "accounts_account"\."id", .* FROM "accounts_account" WHERE "accounts_account"\."karma" > 10$/);
      // `get_user_model().objects` written out in the chain.
      assert.equal((await translateIn(project, '/ws/posts/views.py', 'get_user_model().objects')).sql, 'SELECT COUNT(*) AS "__count" FROM "accounts_account" WHERE "accounts_account"."karma" < 0');
    });

    it("a custom user extends AbstractUser: its fields, and join tables named for it", async () => {
      const member = 'from django.contrib.auth.models import AbstractUser\nfrom django.db import models\n\n\nclass Member(AbstractUser):\n    karma = models.IntegerField(default=0)\n';
      assert.equal(
        await at(member, 'Member.objects.filter(groups__id=3, username__iexact="ann").values_list("email", "karma")'),
        'SELECT "posts_member"."email", "posts_member"."karma" FROM "posts_member" INNER JOIN "posts_member_groups" ON ("posts_member"."id" = "posts_member_groups"."member_id") WHERE "posts_member_groups"."group_id" = 3 AND UPPER("posts_member"."username") = UPPER(\'ann\')',
      );
    });
  });

  it('Q objects: | is OR, & is AND, ~ is NOT (with the NULL check Django adds under a negation); F() compares two columns', async () => {
    assert.equal(
      (await sql('Post.objects.filter(Q(title="a") | Q(title="b"), published=True).order_by()')).sql,
      `SELECT ${POST} FROM "blog_post" WHERE ("blog_post"."title" = 'a' OR "blog_post"."title" = 'b') AND "blog_post"."published" = true`,
    );
    assert.equal(
      (await sql('Author.objects.exclude(Q(age=3) | Q(name="x"))')).sql,
      `SELECT ${AUTHOR} FROM "blog_author" WHERE NOT (("blog_author"."age" = 3 AND "blog_author"."age" IS NOT NULL) OR "blog_author"."name" = 'x')`,
    );
    assert.equal((await sql('Author.objects.filter(~Q(age=None) & Q(name="x"))')).sql, `SELECT ${AUTHOR} FROM "blog_author" WHERE NOT ("blog_author"."age" IS NULL) AND "blog_author"."name" = 'x'`);
    assert.equal((await sql('Author.objects.filter(age__gt=F("id"))')).sql, `SELECT ${AUTHOR} FROM "blog_author" WHERE "blog_author"."age" > "blog_author"."id"`);
  });

  it('annotate() and aggregate() with Count/Sum/Max/…, across the way back of a foreign key (related_name), as Django 3.2 writes them', async () => {
    const join = 'LEFT OUTER JOIN "blog_post" ON ("blog_author"."id" = "blog_post"."author_id")';
    assert.equal(
      (await sql('Author.objects.annotate(n=Count("posts")).filter(n__gte=2).order_by("-n")')).sql,
      `SELECT ${AUTHOR}, COUNT("blog_post"."id") AS "n" FROM "blog_author" ${join} GROUP BY "blog_author"."id" HAVING COUNT("blog_post"."id") >= 2 ORDER BY "n" DESC`,
    );
    // allauth's account_unsetmultipleprimaryemails: a default alias (<path>__<aggregate>) filtered on.
    assert.equal(
      (await sql('Post.objects.filter(published=True).values("author").annotate(Count("author")).filter(author__count__gt=1)')).sql,
      'SELECT "blog_post"."author_id", COUNT("blog_post"."author_id") AS "author__count" FROM "blog_post" WHERE "blog_post"."published" = true GROUP BY "blog_post"."author_id" HAVING COUNT("blog_post"."author_id") > 1',
    );
    // values() first groups by its columns; a default alias <path>__<aggregate>; distinct.
    assert.equal((await sql('Author.objects.values("name").annotate(Count("posts", distinct=True))')).sql, `SELECT "blog_author"."name", COUNT(DISTINCT "blog_post"."id") AS "posts__count" FROM "blog_author" ${join} GROUP BY "blog_author"."name"`);
    // values() after: the columns it names, grouped by the primary key; Meta.ordering is left out of a grouped query.
    // The same table reached twice (Django aliases it T3): refused.
    await assert.rejects(sql('Post.objects.annotate(last=Max("author__posts__created_at"))'), /the table blog_post is joined twice/);
    assert.equal((await sql('Author.objects.annotate(n=Count("posts")).values("name", "n")')).sql, `SELECT "blog_author"."name", COUNT("blog_post"."id") AS "n" FROM "blog_author" ${join} GROUP BY "blog_author"."id"`);
    // An annotation values() does not name is not selected (the rows are still grouped).
    assert.equal((await sql('Author.objects.annotate(n=Count("posts")).values("name")')).sql, `SELECT "blog_author"."name" FROM "blog_author" ${join} GROUP BY "blog_author"."id"`);
    assert.equal((await sql('Author.objects.filter(age__gt=30).aggregate(total=Count("posts"), oldest=Max("age"))')).sql, `SELECT COUNT("blog_post"."id") AS "total", MAX("blog_author"."age") AS "oldest" FROM "blog_author" ${join} WHERE "blog_author"."age" > 30`);
    // A filter across the way back inner-joins, as across a foreign key; the default query name is the model's (`post` for Post.editor).
    assert.equal((await sql('Author.objects.filter(post__published=True)')).sql, `SELECT ${AUTHOR} FROM "blog_author" INNER JOIN "blog_post" ON ("blog_author"."id" = "blog_post"."editor") WHERE "blog_post"."published" = true`);
    await assert.rejects(sql('Post.objects.annotate(n=Count("tags"))'), /`tags` is a many-to-many relation/);
    await assert.rejects(sql('Post.objects.annotate(x=F("title"))'), /the annotation `F\("title"\)` is not translated/);
    await assert.rejects(sql('Author.objects.filter(nope__x=1)'), /`nope` is not a field of Author, nor the related name of a foreign key to it/);
    for (const code of ['Author.objects.annotate(n=Count("posts")).filter(n__gte=2).order_by("-n")', 'Author.objects.aggregate(total=Sum("posts__id"))']) assert.ok((await assertTranslatesOrRefuses(sql, code)) > 0, code);
  });

  it('only() and defer() pick the columns (the primary key always; a later only() replaces), iterator() and using() change no SQL', async () => {
    assert.equal((await sql('Post.objects.only("title", "author").select_related("author").order_by("id")')).sql, `SELECT "blog_post"."id", "blog_post"."title", "blog_post"."author_id", ${AUTHOR} FROM "blog_post" INNER JOIN "blog_author" ON ("blog_post"."author_id" = "blog_author"."id") ORDER BY "blog_post"."id" ASC`);
    assert.equal((await sql('Author.objects.defer("email", "age").using("replica").iterator()')).sql, 'SELECT "blog_author"."id", "blog_author"."name" FROM "blog_author"');
    assert.equal((await sql('Author.objects.only("name", "age").only("age")')).sql, 'SELECT "blog_author"."id", "blog_author"."age" FROM "blog_author"');
    assert.ok((await sql('Author.objects.all().iterator(chunk_size=500)')).notes.some((n) => /server-side cursor/.test(n)));
    await assert.rejects(sql('Post.objects.only("title").select_related("author")'), /cannot be both deferred and traversed with select_related/);
    await assert.rejects(sql('Post.objects.only("author__name")'), /only\("author__name"\) of a related model's field is not translated/);
    await assert.rejects(sql('Post.objects.none()'), /none\(\) runs no query/);
  });

  it('a call written as a statement of its own; a number compared with a text field is sent as text', async () => {
    const views = 'from .models import Author\n\n\ndef check(request):\n    Author.objects.get(\n        name=42,\n    )\n';
    const t = await translateIn({ '/ws/blog/models.py': MODELS, '/ws/blog/views.py': views }, '/ws/blog/views.py', 'Author.objects.get(');
    assert.equal(t.sql, `SELECT ${AUTHOR} FROM "blog_author" WHERE "blog_author"."name" = '42' LIMIT 21`);
  });

  it('writes: create() inserts every field, update() and delete() of a queryset, a filter across a relation as an IN subquery; get_or_create is its get', async () => {
    assert.equal((await sql('Post.objects.filter(author_id=author_id).update(published=True, title="x")')).sql, `UPDATE "blog_post" SET "published" = true, "title" = 'x' WHERE "blog_post"."author_id" = $1`);
    const across = await sql('Post.objects.filter(author__name="Ann").delete()');
    assert.equal(across.sql, `DELETE FROM "blog_post" WHERE "blog_post"."id" IN (SELECT "blog_post"."id" FROM "blog_post" INNER JOIN "blog_author" ON ("blog_post"."author_id" = "blog_author"."id") WHERE "blog_author"."name" = 'Ann')`);
    assert.match(across.notes.join(' '), /first SELECTs the rows/);
    assert.equal((await sql('Author.objects.all().delete()')).sql, 'DELETE FROM "blog_author"');
    const made = await sql('Author.objects.create(name="Ann", email=request.POST["email"])');
    assert.equal(made.sql, 'INSERT INTO "blog_author" ("name", "email", "age") VALUES (\'Ann\', $1, $2) RETURNING "blog_author"."id"');
    assert.ok(made.notes.some((n) => /age get their defaults/.test(n)));
    assert.equal(made.description, 'Author.objects.create() → SQL');
    const got = await sql('Author.objects.get_or_create(email="a@b.c", defaults={"name": "Ann"})');
    assert.equal(got.sql, `SELECT ${AUTHOR} FROM "blog_author" WHERE "blog_author"."email" = 'a@b.c' LIMIT 21`);
    assert.match(got.notes.join(' '), /INSERTs one/);
  });

  it("a key to a swappable model named by its setting joins the model whose Meta.swappable it is", async () => {
    const models = 'from django.db import models\nfrom oauth2_provider.settings import oauth2_settings\n\n\nclass Application(models.Model):\n    name = models.CharField(max_length=255)\n\n    class Meta:\n        swappable = "OAUTH2_PROVIDER_APPLICATION_MODEL"\n\n\nclass AccessToken(models.Model):\n    token = models.CharField(max_length=255)\n    application = models.ForeignKey(oauth2_settings.APPLICATION_MODEL, on_delete=models.CASCADE)\n';
    const views = 'from .models import AccessToken\n\n\ndef view(request):\n    return AccessToken.objects.select_related("application").filter(token="t")\n';
    const t = await translateIn({ '/ws/oauth2_provider/models.py': models, '/ws/oauth2_provider/views.py': views }, '/ws/oauth2_provider/views.py', 'AccessToken.objects');
    assert.equal(
      t.sql,
      `SELECT "oauth2_provider_accesstoken"."id", "oauth2_provider_accesstoken"."token", "oauth2_provider_accesstoken"."application_id", "oauth2_provider_application"."id", "oauth2_provider_application"."name" FROM "oauth2_provider_accesstoken" INNER JOIN "oauth2_provider_application" ON ("oauth2_provider_accesstoken"."application_id" = "oauth2_provider_application"."id") WHERE "oauth2_provider_accesstoken"."token" = 't'`,
    );
  });

  it('a model found through the imports: a models/ package that re-exports it from a submodule', async () => {
    const t = await translateIn(
      {
        '/ws/shop/models/__init__.py': 'from .catalog import Product\n',
        '/ws/shop/models/catalog.py': 'from django.db import models\n\n\nclass Product(models.Model):\n    sku = models.CharField(max_length=20)\n',
        '/ws/shop/api/views.py': 'from shop.models import Product\n\n\ndef view(request):\n    return Product.objects.filter(sku="a")\n',
      },
      '/ws/shop/api/views.py',
      'Product.objects',
    );
    assert.equal(t.sql, `SELECT "shop_product"."id", "shop_product"."sku" FROM "shop_product" WHERE "shop_product"."sku" = 'a'`);
  });

  const unsupported: Array<[string, RegExp]> = [
    ['Post.objects.filter(Count("tags"))', /an expression other than a Q object/],
    ['Post.objects.filter(title__startswith=F("id"))', /__startswith with an F\(\) expression/],
    ['Post.objects.filter(nope=1)', /`nope` is not a field of Post/],
    ['Post.objects.filter(title__regex="x")', /`regex` after the column `title`/],
    ['Post.objects.all()[:5].filter(id=1)', /after a slice/],
    ['Post.objects.all()[:5].delete()', /after a slice/],
    ['Author.objects.update(age=F("age") + 1)', /F\(\) expressions are not translated/],
    ['Post.objects.update(tags=1)', /many-to-many/],
    ['Post.objects.create(**request.POST)', /only keyword arguments are translated/],
  ];
  for (const [code, message] of unsupported) {
    it(`refuses, naming why: ${code}`, async () => {
      await assert.rejects(sql(code), (e: Error) => {
        assert.equal(e.name, 'UntranslatableCall');
        assert.match(e.message, message);
        return true;
      });
    });
  }

  it('mangled calls translate or are refused with the reason, never another error', async () => {
    for (const code of [
      'Post.objects.filter(Q(title="a") | ~Q(author__name="b"), published=True).update(title="x")',
      'Author.objects.create(name="Ann", email=request.POST["email"])',
      'Author.objects.filter(age__gt=F("id")).delete()',
      'Post.objects.select_related("author").filter(author__name__icontains="a", tags__name="x").exclude(editor=None).order_by("-created_at")[start:start + PAGE_SIZE]',
      'Post.objects.values_list("title", "author_id").distinct().count()',
    ]) assert.ok((await assertTranslatesOrRefuses(sql, code)) > 0);
  });
});
