/**
 * Python ORM models → PostgreSQL DDL for the embedded database. The Django expectations are what
 * Django's schema editor writes (checked against Django 3.2's `collect_sql` output, with the
 * identity ids Django 4.1+ writes instead of serial); the SQLAlchemy ones are `create_all()`'s
 * statements (checked against SQLAlchemy 1.4's `CreateTable` for the classic style).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DJANGO_CONTRIB_FILE } from '../../server/src/database/schema/django-contrib';
import { djangoIndexName, djangoMetaIndexName, truncateName } from '../../server/src/database/schema/django-names';
import { loadWorkspaceSchema } from '../../server/src/database/schema/workspace-schema';
import { pythonModelsDdl, type PythonSourceFile } from '../../server/src/database/schema/python-models';
import { snakeCase } from '../../server/src/database/schema/sqlalchemy-ddl';
import { REPO_ROOT } from '../harness/engine';

/** The statements for the workspace's own models; Django's own apps' tables (django-contrib.ts) have a test of their own. */
async function ddl(files: PythonSourceFile[], rootName?: string): Promise<string> {
  return (await pythonModelsDdl(files, rootName)).statements.filter((s) => s.source !== DJANGO_CONTRIB_FILE).map((s) => s.sql).join('\n');
}

function example(dir: string): PythonSourceFile[] {
  const root = path.join(REPO_ROOT, 'examples', dir);
  const out: PythonSourceFile[] = [];
  const visit = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) visit(full);
      else if (e.name.endsWith('.py')) out.push({ rel: path.relative(root, full).split(path.sep).join('/'), text: fs.readFileSync(full, 'utf8') });
    }
  };
  visit(root);
  return out;
}

/** What peewee 3.14 writes for the models of the Peewee test (`Model._schema._create_table()`, `_create_indexes()`). */
const PEEWEE_DDL = [
  'CREATE TABLE "user" ("id" SERIAL NOT NULL PRIMARY KEY, "username" VARCHAR(255) NOT NULL, "email" VARCHAR(120) NOT NULL, "joined" TIMESTAMP NOT NULL);',
  'CREATE TABLE "tweet" ("id" SERIAL NOT NULL PRIMARY KEY, "user_id" INTEGER NOT NULL, "message" TEXT NOT NULL, "created_date" TIMESTAMP NOT NULL, "is_published" BOOLEAN NOT NULL, "price" NUMERIC(8, 2), FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE CASCADE);',
  'CREATE TABLE "relationship" ("id" SERIAL NOT NULL PRIMARY KEY, "from_user_id" INTEGER NOT NULL, "to_user_id" INTEGER NOT NULL, FOREIGN KEY ("from_user_id") REFERENCES "user" ("id"), FOREIGN KEY ("to_user_id") REFERENCES "user" ("id"));',
  'CREATE TABLE "userprofile" ("user_id" INTEGER NOT NULL PRIMARY KEY, "bio" TEXT, FOREIGN KEY ("user_id") REFERENCES "user" ("id"));',
  'CREATE TABLE "order_line" ("id" SERIAL NOT NULL PRIMARY KEY, "sku" CHAR(12) NOT NULL, "uuid" UUID NOT NULL, "total" BIGINT NOT NULL);',
  'CREATE TABLE "tag" ("name" VARCHAR(255) NOT NULL PRIMARY KEY);',
  'CREATE TABLE "tweet_tags" ("tweet_id" INTEGER NOT NULL, "tag_id" VARCHAR(255) NOT NULL, PRIMARY KEY ("tweet_id", "tag_id"), FOREIGN KEY ("tweet_id") REFERENCES "tweet" ("id"), FOREIGN KEY ("tag_id") REFERENCES "tag" ("name"));',
  'CREATE UNIQUE INDEX "user_username" ON "user" ("username");',
  'CREATE INDEX "user_email" ON "user" ("email");',
  'CREATE INDEX "tweet_user_id" ON "tweet" ("user_id");',
  'CREATE INDEX "tweet_user_id_created_date" ON "tweet" ("user_id", "created_date");',
  'CREATE INDEX "relationship_from_user_id" ON "relationship" ("from_user_id");',
  'CREATE INDEX "relationship_to_user_id" ON "relationship" ("to_user_id");',
  'CREATE UNIQUE INDEX "relationship_from_user_id_to_user_id" ON "relationship" ("from_user_id", "to_user_id");',
  'CREATE UNIQUE INDEX "order_line_uuid" ON "order_line" ("uuid");',
  'CREATE INDEX "tweettag_tweet_id" ON "tweet_tags" ("tweet_id");',
  'CREATE INDEX "tweettag_tag_id" ON "tweet_tags" ("tag_id");',
].join('\n');

describe('database: Python models → PostgreSQL DDL', () => {
  it('Django: app tables, ids by DEFAULT_AUTO_FIELD and AppConfig, abstract and multi-table inheritance, AbstractUser, relations, indexes, Meta', async () => {
    const files: PythonSourceFile[] = [
      { rel: 'settings.py', text: `AUTH_USER_MODEL = "shop.Customer"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
` },
      { rel: 'shop/apps.py', text: `from django.apps import AppConfig


class ShopConfig(AppConfig):
    name = "shop"
    default_auto_field = "django.db.models.AutoField"
` },
      { rel: 'shop/models.py', text: `import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models


class Customer(AbstractUser):
    loyalty_points = models.PositiveIntegerField(default=0)


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Category(TimeStamped):
    name = models.CharField(max_length=100, db_index=True)
    slug = models.SlugField(unique=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL)


class Product(TimeStamped):
    sku = models.UUIDField(primary_key=True, default=uuid.uuid4)
    title = models.CharField(max_length=200)
    price = models.DecimalField(max_digits=10, decimal_places=2)
    attributes = models.JSONField(default=dict)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products")
    stock = models.IntegerField()
    description = models.TextField(blank=True, db_index=True)

    class Meta:
        db_table = "products"
        indexes = [models.Index(fields=["category", "-created_at"], name="product_cat_created")]


class Order(models.Model):
    customer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    products = models.ManyToManyField(Product)
    placed_at = models.DateField()
    note = models.CharField(max_length=50, null=True)

    class Meta:
        unique_together = [("customer", "placed_at")]


class Invoice(models.Model):
    order = models.OneToOneField(Order, on_delete=models.CASCADE)
    number = models.BigIntegerField(unique=True)


class DigitalProduct(Product):
    download_url = models.URLField()
` },
    ];
    assert.equal(await ddl(files), `CREATE TABLE "shop_customer" ("id" integer NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "password" varchar(128) NOT NULL, "last_login" timestamp with time zone NULL, "is_superuser" boolean NOT NULL, "username" varchar(150) NOT NULL UNIQUE, "first_name" varchar(150) NOT NULL, "last_name" varchar(150) NOT NULL, "email" varchar(254) NOT NULL, "is_staff" boolean NOT NULL, "is_active" boolean NOT NULL, "date_joined" timestamp with time zone NOT NULL, "loyalty_points" integer NOT NULL CHECK ("loyalty_points" >= 0));
CREATE TABLE "shop_customer_groups" ("id" integer NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "customer_id" integer NOT NULL, "group_id" integer NOT NULL);
CREATE TABLE "shop_customer_user_permissions" ("id" integer NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "customer_id" integer NOT NULL, "permission_id" integer NOT NULL);
CREATE TABLE "shop_category" ("id" integer NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "created_at" timestamp with time zone NOT NULL, "updated_at" timestamp with time zone NOT NULL, "name" varchar(100) NOT NULL, "slug" varchar(50) NOT NULL UNIQUE, "parent_id" integer NULL);
CREATE TABLE "products" ("created_at" timestamp with time zone NOT NULL, "updated_at" timestamp with time zone NOT NULL, "sku" uuid NOT NULL PRIMARY KEY, "title" varchar(200) NOT NULL, "price" numeric(10, 2) NOT NULL, "attributes" jsonb NOT NULL, "category_id" integer NOT NULL, "stock" integer NOT NULL, "description" text NOT NULL);
CREATE TABLE "shop_order" ("id" integer NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "customer_id" integer NOT NULL, "placed_at" date NOT NULL, "note" varchar(50) NULL);
CREATE TABLE "shop_order_products" ("id" integer NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "order_id" integer NOT NULL, "product_id" uuid NOT NULL);
CREATE TABLE "shop_invoice" ("id" integer NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "order_id" integer NOT NULL UNIQUE, "number" bigint NOT NULL UNIQUE);
CREATE TABLE "shop_digitalproduct" ("product_ptr_id" uuid NOT NULL PRIMARY KEY, "download_url" varchar(200) NOT NULL);
CREATE INDEX "shop_customer_username_d8d0987f_like" ON "shop_customer" ("username" varchar_pattern_ops);
ALTER TABLE "shop_customer_groups" ADD CONSTRAINT "shop_customer_groups_customer_id_group_id_ca32c35b_uniq" UNIQUE ("customer_id", "group_id");
ALTER TABLE "shop_customer_groups" ADD CONSTRAINT "shop_customer_groups_customer_id_787e3750_fk_shop_customer_id" FOREIGN KEY ("customer_id") REFERENCES "shop_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "shop_customer_groups" ADD CONSTRAINT "shop_customer_groups_group_id_9fd8dc8e_fk_auth_group_id" FOREIGN KEY ("group_id") REFERENCES "auth_group" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "shop_customer_groups_customer_id_787e3750" ON "shop_customer_groups" ("customer_id");
CREATE INDEX "shop_customer_groups_group_id_9fd8dc8e" ON "shop_customer_groups" ("group_id");
ALTER TABLE "shop_customer_user_permissions" ADD CONSTRAINT "shop_customer_user_permi_customer_id_permission_i_c790b3c0_uniq" UNIQUE ("customer_id", "permission_id");
ALTER TABLE "shop_customer_user_permissions" ADD CONSTRAINT "shop_customer_user_p_customer_id_bb138063_fk_shop_cust" FOREIGN KEY ("customer_id") REFERENCES "shop_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "shop_customer_user_permissions" ADD CONSTRAINT "shop_customer_user_p_permission_id_66296be8_fk_auth_perm" FOREIGN KEY ("permission_id") REFERENCES "auth_permission" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "shop_customer_user_permissions_customer_id_bb138063" ON "shop_customer_user_permissions" ("customer_id");
CREATE INDEX "shop_customer_user_permissions_permission_id_66296be8" ON "shop_customer_user_permissions" ("permission_id");
ALTER TABLE "shop_category" ADD CONSTRAINT "shop_category_parent_id_901626c9_fk_shop_category_id" FOREIGN KEY ("parent_id") REFERENCES "shop_category" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "shop_category_name_11b68823" ON "shop_category" ("name");
CREATE INDEX "shop_category_name_11b68823_like" ON "shop_category" ("name" varchar_pattern_ops);
CREATE INDEX "shop_category_slug_4508178e_like" ON "shop_category" ("slug" varchar_pattern_ops);
CREATE INDEX "shop_category_parent_id_901626c9" ON "shop_category" ("parent_id");
ALTER TABLE "products" ADD CONSTRAINT "products_category_id_a7a3a156_fk_shop_category_id" FOREIGN KEY ("category_id") REFERENCES "shop_category" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "products_category_id_a7a3a156" ON "products" ("category_id");
CREATE INDEX "products_description_750bc4cc" ON "products" ("description");
CREATE INDEX "products_description_750bc4cc_like" ON "products" ("description" text_pattern_ops);
CREATE INDEX "product_cat_created" ON "products" ("category_id", "created_at" DESC);
ALTER TABLE "shop_order" ADD CONSTRAINT "shop_order_customer_id_placed_at_b64657ab_uniq" UNIQUE ("customer_id", "placed_at");
ALTER TABLE "shop_order" ADD CONSTRAINT "shop_order_customer_id_f638df20_fk_shop_customer_id" FOREIGN KEY ("customer_id") REFERENCES "shop_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "shop_order_customer_id_f638df20" ON "shop_order" ("customer_id");
ALTER TABLE "shop_order_products" ADD CONSTRAINT "shop_order_products_order_id_product_id_f3e362e3_uniq" UNIQUE ("order_id", "product_id");
ALTER TABLE "shop_order_products" ADD CONSTRAINT "shop_order_products_order_id_8b06bc99_fk_shop_order_id" FOREIGN KEY ("order_id") REFERENCES "shop_order" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "shop_order_products" ADD CONSTRAINT "shop_order_products_product_id_41254e13_fk_products_sku" FOREIGN KEY ("product_id") REFERENCES "products" ("sku") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "shop_order_products_order_id_8b06bc99" ON "shop_order_products" ("order_id");
CREATE INDEX "shop_order_products_product_id_41254e13" ON "shop_order_products" ("product_id");
ALTER TABLE "shop_invoice" ADD CONSTRAINT "shop_invoice_order_id_1ed1a945_fk_shop_order_id" FOREIGN KEY ("order_id") REFERENCES "shop_order" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "shop_digitalproduct" ADD CONSTRAINT "shop_digitalproduct_product_ptr_id_fc50fb02_fk_products_sku" FOREIGN KEY ("product_ptr_id") REFERENCES "products" ("sku") DEFERRABLE INITIALLY DEFERRED;`);
  });

  it('Django: examples/django-blog as Django writes it', async () => {
    const result = await pythonModelsDdl(example('django-blog'));
    assert.deepEqual(result.files, ['blog/models.py']);
    assert.equal(
      await ddl(example('django-blog')),
      `CREATE TABLE "blog_author" ("id" bigint NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "name" varchar(200) NOT NULL, "email" varchar(254) NOT NULL UNIQUE, "website" varchar(200) NOT NULL);
CREATE TABLE "blog_tag" ("id" bigint NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "name" varchar(50) NOT NULL UNIQUE);
CREATE TABLE "blog_post" ("id" bigint NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "title" varchar(200) NOT NULL, "body" text NOT NULL, "author_id" bigint NOT NULL, "published" boolean NOT NULL, "created_at" timestamp with time zone NOT NULL);
CREATE TABLE "blog_post_tags" ("id" bigint NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "post_id" bigint NOT NULL, "tag_id" bigint NOT NULL);
CREATE INDEX "blog_author_email_8354ab3e_like" ON "blog_author" ("email" varchar_pattern_ops);
CREATE INDEX "blog_tag_name_c5718cc8_like" ON "blog_tag" ("name" varchar_pattern_ops);
ALTER TABLE "blog_post" ADD CONSTRAINT "blog_post_author_id_dd7a8485_fk_blog_author_id" FOREIGN KEY ("author_id") REFERENCES "blog_author" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "blog_post_author_id_dd7a8485" ON "blog_post" ("author_id");
CREATE INDEX "blog_post_created_at_6c5db3cc" ON "blog_post" ("created_at");
CREATE INDEX "blog_post_created_cea660_idx" ON "blog_post" ("created_at" DESC, "id" DESC);
ALTER TABLE "blog_post_tags" ADD CONSTRAINT "blog_post_tags_post_id_tag_id_4925ec37_uniq" UNIQUE ("post_id", "tag_id");
ALTER TABLE "blog_post_tags" ADD CONSTRAINT "blog_post_tags_post_id_a1c71c8a_fk_blog_post_id" FOREIGN KEY ("post_id") REFERENCES "blog_post" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "blog_post_tags" ADD CONSTRAINT "blog_post_tags_tag_id_0875c551_fk_blog_tag_id" FOREIGN KEY ("tag_id") REFERENCES "blog_tag" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "blog_post_tags_post_id_a1c71c8a" ON "blog_post_tags" ("post_id");
CREATE INDEX "blog_post_tags_tag_id_0875c551" ON "blog_post_tags" ("tag_id");`,
    );
  });

  it('Django: a workspace that is the app itself takes the folder as the app label; fields of other packages are columns', async () => {
    const files: PythonSourceFile[] = [
      {
        rel: 'models/product.py',
        text: 'from colorfield.fields import ColorField\nfrom django.db import models\nfrom mptt.fields import TreeManyToManyField\n\n\nclass Product(models.Model):\n    name = models.CharField(max_length=100)\n    color = ColorField(default="#FFFFFF")\n    code = ColorField(max_length=7)\n    categories = TreeManyToManyField("Category")\n',
      },
    ];
    const sql = (await ddl(files, 'shop')).split('\n');
    assert.match(sql[0], /^CREATE TABLE "shop_product" /);
    // A field of another package is a column all the same (hyperkitty's ColorField); a many-to-many one is not.
    assert.match(sql[0], /"color" text NOT NULL, "code" varchar\(7\) NOT NULL\);$/);
  });

  it("Django's own apps: the tables INSTALLED_APPS makes, integer ids, auth_user unless swapped; without settings, auth and contenttypes and the apps the code uses", async () => {
    const contrib = async (files: PythonSourceFile[]): Promise<string[]> =>
      (await pythonModelsDdl(files)).statements.filter((s) => s.source === DJANGO_CONTRIB_FILE && s.sql.startsWith('CREATE TABLE')).map((s) => s.sql);
    const tables = (sql: string[]): string[] => sql.map((x) => /^CREATE TABLE "([^"]+)"/.exec(x)![1]);
    const blog = await contrib(example('django-blog'));
    // As Django 4.2's migrate makes them: its apps keep AutoField ids whatever DEFAULT_AUTO_FIELD says.
    assert.deepEqual(tables(blog), ['django_content_type', 'auth_permission', 'auth_group', 'auth_group_permissions', 'auth_user', 'auth_user_groups', 'auth_user_user_permissions']);
    assert.equal(
      blog[4],
      'CREATE TABLE "auth_user" ("id" integer NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "password" varchar(128) NOT NULL, "last_login" timestamp with time zone NULL, "is_superuser" boolean NOT NULL, "username" varchar(150) NOT NULL UNIQUE, "first_name" varchar(150) NOT NULL, "last_name" varchar(150) NOT NULL, "email" varchar(254) NOT NULL, "is_staff" boolean NOT NULL, "is_active" boolean NOT NULL, "date_joined" timestamp with time zone NOT NULL);',
    );
    const all = (await pythonModelsDdl(example('django-blog'))).statements.map((s) => s.sql);
    assert.ok(all.includes('ALTER TABLE "auth_permission" ADD CONSTRAINT "auth_permission_content_type_id_2f476e4b_fk_django_co" FOREIGN KEY ("content_type_id") REFERENCES "django_content_type" ("id") DEFERRABLE INITIALLY DEFERRED;'));
    assert.ok(all.includes('ALTER TABLE "auth_user_groups" ADD CONSTRAINT "auth_user_groups_user_id_group_id_94350c0c_uniq" UNIQUE ("user_id", "group_id");'));

    const models = { rel: 'posts/models.py', text: 'from django.conf import settings\nfrom django.db import models\n\nclass Post(models.Model):\n    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)\n' };
    // No settings in the workspace (a reusable app): auth and contenttypes, and the key to the user is a real one.
    const alone = (await pythonModelsDdl([models])).statements.map((s) => s.sql);
    assert.ok(alone.includes('ALTER TABLE "posts_post" ADD CONSTRAINT "posts_post_author_id_fe5487bf_fk_auth_user_id" FOREIGN KEY ("author_id") REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED;'));
    assert.ok(!alone.some((x) => x.includes('django_site')));
    // allauth's `app_settings.USER_MODEL`: the setting under another name.
    const copied = (await pythonModelsDdl([{ ...models, text: models.text.replace('settings.AUTH_USER_MODEL', 'app_settings.USER_MODEL') }])).statements.map((s) => s.sql);
    assert.ok(copied.includes(alone.find((x) => x.includes('REFERENCES "auth_user"'))!));
    // A swapped user model: no auth_user; the groups and permissions stay.
    const swapped = await contrib([models, { rel: 'config/settings.py', text: 'INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "posts"]\nAUTH_USER_MODEL = "accounts.Account"\n' }]);
    assert.deepEqual(tables(swapped), ['django_content_type', 'auth_permission', 'auth_group', 'auth_group_permissions']);
    // Settings put together from lists, with AppConfig paths; sites installed.
    const split = await contrib([models, { rel: 'config/settings/base.py', text: 'DJANGO_APPS = ["django.contrib.contenttypes", "django.contrib.auth.apps.AuthConfig", "django.contrib.sites"]\nINSTALLED_APPS = DJANGO_APPS + ["posts"]\n' }]);
    assert.deepEqual(tables(split), ['django_content_type', 'auth_permission', 'auth_group', 'auth_group_permissions', 'auth_user', 'auth_user_groups', 'auth_user_user_permissions', 'django_site']);
    // Installed apps without auth: none of its tables.
    assert.deepEqual(tables(await contrib([models, { rel: 'settings.py', text: 'INSTALLED_APPS = ["posts"]\n' }])), []);
    // Admin's log and sessions, when installed.
    const admin = await contrib([models, { rel: 'settings.py', text: 'INSTALLED_APPS = ["django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions"]\n' }]);
    assert.deepEqual(tables(admin).filter((t) => t.startsWith('django_')), ['django_content_type', 'django_admin_log', 'django_session']);
    // No settings: the apps the workspace imports from or names a model of.
    const site = { rel: 'pages/models.py', text: 'from django.contrib.sites.models import Site\nfrom django.db import models\n\nclass Page(models.Model):\n    site = models.ForeignKey(Site, on_delete=models.CASCADE)\n' };
    assert.ok(tables(await contrib([site])).includes('django_site'));
    const named = { rel: 'pages/models.py', text: 'from django.db import models\n\nclass Page(models.Model):\n    site = models.ForeignKey("sites.Site", on_delete=models.CASCADE)\n' };
    assert.ok(tables(await contrib([named])).includes('django_site'));
    assert.ok(!tables(await contrib([models])).includes('django_site'));
    const fromViews = (await pythonModelsDdl([models], '', new Set(['sites']))).statements.map((x) => x.sql);
    assert.ok(fromViews.some((x) => x.startsWith('CREATE TABLE "django_site"')));
    // Django's own source in the workspace: its declarations, not these, and no table twice.
    const own = { rel: 'django/contrib/auth/models.py', text: 'from django.db import models\n\nclass User(models.Model):\n    username = models.CharField(max_length=150)\n\n    class Meta:\n        app_label = "auth"\n' };
    const mixed = (await pythonModelsDdl([own, models])).statements.map((s) => s.sql).filter((x) => x.startsWith('CREATE TABLE "auth_user"'));
    assert.deepEqual(mixed, ['CREATE TABLE "auth_user" ("id" integer NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "username" varchar(150) NOT NULL);']);
  });

  it("Django's own apps a workspace without settings uses from its views get their tables", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-contrib-'));
    try {
      fs.mkdirSync(path.join(root, 'pages'));
      fs.writeFileSync(path.join(root, 'pages/models.py'), 'from django.db import models\n\nclass Page(models.Model):\n    title = models.TextField()\n');
      fs.writeFileSync(path.join(root, 'pages/views.py'), 'from django.contrib.sites.models import Site\n\ndef index(request):\n    return Site.objects.order_by("name")\n');
      const schema = await loadWorkspaceSchema(root);
      assert.ok(schema.statements.some((x) => x.sql.startsWith('CREATE TABLE "django_site"')));
      assert.deepEqual(schema.files, ['pages/models.py']);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("Django: a key to a swappable model named by its setting (django-oauth-toolkit's oauth2_settings.APPLICATION_MODEL)", async () => {
    const files: PythonSourceFile[] = [
      {
        rel: 'oauth2_provider/models.py',
        text: `from django.db import models
from oauth2_provider.settings import oauth2_settings


class AbstractApplication(models.Model):
    name = models.CharField(max_length=255)

    class Meta:
        abstract = True


class Application(AbstractApplication):
    class Meta(AbstractApplication.Meta):
        swappable = "OAUTH2_PROVIDER_APPLICATION_MODEL"


class AccessToken(models.Model):
    application = models.ForeignKey(oauth2_settings.APPLICATION_MODEL, on_delete=models.CASCADE)
`,
      },
    ];
    const sql = await ddl(files);
    assert.match(sql, /ALTER TABLE "oauth2_provider_accesstoken" ADD CONSTRAINT "\w+" FOREIGN KEY \("application_id"\) REFERENCES "oauth2_provider_application" \("id"\)/);
  });

  it("Django's generated names: hashed, truncated to 63 characters, Meta.indexes without a name", () => {
    assert.equal(djangoIndexName('blog_post', ['author_id'], ''), 'blog_post_author_id_dd7a8485');
    // Both from Django 3.2 for AbstractUser's many-to-many tables on a custom user model.
    assert.equal(djangoIndexName('shop_customer_user_permissions', ['customer_id'], '_fk_shop_customer_id'), 'shop_customer_user_p_customer_id_bb138063_fk_shop_cust');
    assert.equal(djangoIndexName('shop_customer_user_permissions', ['customer_id', 'permission_id'], '_uniq'), 'shop_customer_user_permi_customer_id_permission_i_c790b3c0_uniq');
    assert.equal(djangoMetaIndexName('blog_post', ['-created_at', '-id']), 'blog_post_created_cea660_idx');
    assert.equal(truncateName('a'.repeat(70)).length, 63);
  });

  it('SQLAlchemy (classic declarative): Table(), mixins, Column types, server defaults, unique, index=True, __table_args__, quoted reserved names', async () => {
    assert.equal(await ddl([{ rel: 'models.py', text: `from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Index, Integer, BigInteger, Numeric, String, Table, Text, UniqueConstraint, func, text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()

post_tags = Table(
    "post_tags",
    Base.metadata,
    Column("post_id", ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id"), primary_key=True),
)


class TimestampMixin:
    created_at = Column(DateTime(timezone=True), server_default=func.now(), nullable=False)


class User(TimestampMixin, Base):
    __tablename__ = "user"
    id = Column(BigInteger, primary_key=True)
    email = Column(String(255), unique=True, nullable=False)
    handle = Column(String(50), unique=True, index=True)
    active = Column(Boolean, server_default=text("true"), nullable=False)
    posts = relationship("Post", back_populates="author")


class Post(TimestampMixin, Base):
    __tablename__ = "posts"
    __table_args__ = (
        Index("ix_posts_author_created", "author_id", text("created_at DESC")),
        UniqueConstraint("author_id", "slug", name="uq_posts_author_slug"),
    )
    id = Column(Integer, primary_key=True)
    author_id = Column(ForeignKey("user.id"), nullable=False)
    slug = Column(String(80), nullable=False)
    body = Column(Text)
    score = Column(Numeric(10, 2))
    meta = Column("metadata", JSONB)
    external_id = Column(UUID(as_uuid=True), index=True)
    author = relationship(User, back_populates="posts")


class Tag(Base):
    __tablename__ = "tags"
    id = Column(Integer, primary_key=True)
    name = Column(String(50), nullable=False, unique=True)
` }]), `CREATE TABLE "user" (
\tcreated_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
\tid BIGSERIAL NOT NULL,
\temail VARCHAR(255) NOT NULL,
\thandle VARCHAR(50),
\tactive BOOLEAN DEFAULT true NOT NULL,
\tPRIMARY KEY (id),
\tUNIQUE (email)
);
CREATE TABLE posts (
\tcreated_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
\tid SERIAL NOT NULL,
\tauthor_id BIGINT NOT NULL,
\tslug VARCHAR(80) NOT NULL,
\tbody TEXT,
\tscore NUMERIC(10, 2),
\tmetadata JSONB,
\texternal_id UUID,
\tPRIMARY KEY (id),
\tCONSTRAINT uq_posts_author_slug UNIQUE (author_id, slug),
\tFOREIGN KEY(author_id) REFERENCES "user" (id)
);
CREATE TABLE tags (
\tid SERIAL NOT NULL,
\tname VARCHAR(50) NOT NULL,
\tPRIMARY KEY (id),
\tUNIQUE (name)
);
CREATE TABLE post_tags (
\tpost_id INTEGER NOT NULL,
\ttag_id INTEGER NOT NULL,
\tPRIMARY KEY (post_id, tag_id),
\tFOREIGN KEY(post_id) REFERENCES posts (id) ON DELETE CASCADE,
\tFOREIGN KEY(tag_id) REFERENCES tags (id)
);
CREATE UNIQUE INDEX ix_user_handle ON "user" (handle);
CREATE INDEX ix_posts_author_created ON posts (author_id, created_at DESC);
CREATE INDEX ix_posts_external_id ON posts (external_id);`);
  });

  it('SQLAlchemy 2.0 Mapped[] annotations, SQLModel table=True with Field(), Flask-SQLAlchemy db.Model', async () => {
    const files: PythonSourceFile[] = [
      { rel: 'heroes.py', text: `from datetime import datetime
from decimal import Decimal
from typing import Optional
import uuid

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlmodel import Field, SQLModel


class Team(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(index=True, max_length=80)
    headquarters: str


class Hero(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    age: Optional[int] = Field(default=None, index=True)
    team_id: Optional[int] = Field(default=None, foreign_key="team.id")


class HeroBase(SQLModel):
    name: str


class Base(DeclarativeBase):
    pass


class Account(Base):
    __tablename__ = "accounts"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    balance: Mapped[Decimal]
    nickname: Mapped[str | None] = mapped_column(String(30))
    opened_at: Mapped[datetime]
    parent_id: Mapped[Optional[uuid.UUID]] = mapped_column(ForeignKey("accounts.id"))
    parent: Mapped[Optional["Account"]] = relationship()
` },
      { rel: 'flask_models.py', text: `from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class UserProfile(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(80), unique=True, nullable=False)
    bio = db.Column(db.Text)
` },
    ];
    assert.equal(await ddl(files), `CREATE TABLE user_profile (
\tid SERIAL NOT NULL,
\tusername VARCHAR(80) NOT NULL,
\tbio TEXT,
\tPRIMARY KEY (id),
\tUNIQUE (username)
);
CREATE TABLE team (
\tid SERIAL NOT NULL,
\tname VARCHAR(80) NOT NULL,
\theadquarters VARCHAR NOT NULL,
\tPRIMARY KEY (id)
);
CREATE TABLE hero (
\tid SERIAL NOT NULL,
\tname VARCHAR NOT NULL,
\tage INTEGER,
\tteam_id INTEGER,
\tPRIMARY KEY (id),
\tFOREIGN KEY(team_id) REFERENCES team (id)
);
CREATE TABLE accounts (
\tid UUID NOT NULL,
\tbalance NUMERIC NOT NULL,
\tnickname VARCHAR(30),
\topened_at TIMESTAMP WITHOUT TIME ZONE NOT NULL,
\tparent_id UUID,
\tPRIMARY KEY (id),
\tFOREIGN KEY(parent_id) REFERENCES accounts (id)
);
CREATE INDEX ix_team_name ON team (name);
CREATE INDEX ix_hero_age ON hero (age);
CREATE INDEX ix_hero_name ON hero (name);`);
    assert.equal(snakeCase('HTTPRequestLog'), 'http_request_log');
  });

  it('SQLAlchemy: examples/fastapi-sqlalchemy (relationships are not columns)', async () => {
    const result = await pythonModelsDdl(example('fastapi-sqlalchemy'));
    assert.deepEqual(result.files, ['app/models.py']);
    assert.equal(
      result.statements.map((s) => s.sql).join('\n'),
      `CREATE TABLE owners (
\tid SERIAL NOT NULL,
\tname VARCHAR(100) NOT NULL,
\tPRIMARY KEY (id)
);
CREATE TABLE items (
\tid SERIAL NOT NULL,
\ttitle VARCHAR(200) NOT NULL,
\tprice_cents INTEGER NOT NULL,
\towner_id INTEGER NOT NULL,
\tcreated_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
\tPRIMARY KEY (id),
\tFOREIGN KEY(owner_id) REFERENCES owners (id)
);
CREATE INDEX ix_items_title ON items (title);`,
    );
  });

  it("SQLAlchemy as OpenStack writes it: oslo.db's mixins, a `binary` column, PrimaryKeyConstraint, ForeignKey(column=…) and ForeignKey(id), parents first, keys to a later table after", async () => {
    const result = await pythonModelsDdl([
      {
        rel: 'db/models.py',
        text: `from oslo_db.sqlalchemy import models
import sqlalchemy as sa
from sqlalchemy.ext import declarative

BASE = declarative.declarative_base()


class Member(BASE, models.ModelBase):
    __tablename__ = "member"
    id = sa.Column(sa.String(36), primary_key=True)
    pool_id = sa.Column(sa.String(36), sa.ForeignKey("pool.id"), nullable=False)


class Pool(BASE, models.ModelBase, models.TimestampMixin):
    __tablename__ = "pool"
    id = sa.Column(sa.String(36), primary_key=True)
    zone = sa.Column(sa.String(255), sa.ForeignKey(column="zone.name", ondelete="CASCADE"))
    owner_id = sa.Column(sa.String(36), sa.ForeignKey("owner.id"))


class Zone(BASE, models.ModelBase):
    __tablename__ = "zone"
    __table_args__ = (sa.PrimaryKeyConstraint("name"),)
    name = sa.Column(sa.String(255), nullable=False)


class Service(BASE, models.ModelBase, models.TimestampMixin, models.SoftDeleteMixin):
    __tablename__ = "services"
    __table_args__ = (sa.UniqueConstraint("host", "binary", "deleted", name="uniq_services0host0binary0deleted"), sa.Index("services_uuid_idx", "uuid", "region"))
    id = sa.Column(sa.Integer, primary_key=True)
    host = sa.Column(sa.String(255))
    binary = sa.Column(sa.String(255))
    uuid = sa.Column(sa.String(36))
    replaced_by = sa.Column(sa.Integer, sa.ForeignKey(id))


class Owner(BASE, models.ModelBase):
    __tablename__ = "owner"
    id = sa.Column(sa.String(36), primary_key=True)
    pool_id = sa.Column(sa.String(36), sa.ForeignKey("pool.id"))
`,
      },
    ]);
    assert.equal(
      result.statements.map((s) => s.sql).join('\n'),
      `CREATE TABLE zone (
\tname VARCHAR(255) NOT NULL,
\tPRIMARY KEY (name)
);
CREATE TABLE services (
\tcreated_at TIMESTAMP WITHOUT TIME ZONE,
\tupdated_at TIMESTAMP WITHOUT TIME ZONE,
\tdeleted_at TIMESTAMP WITHOUT TIME ZONE,
\tdeleted INTEGER,
\tid SERIAL NOT NULL,
\thost VARCHAR(255),
\t"binary" VARCHAR(255),
\tuuid VARCHAR(36),
\treplaced_by INTEGER,
\tPRIMARY KEY (id),
\tCONSTRAINT uniq_services0host0binary0deleted UNIQUE (host, "binary", deleted),
\tFOREIGN KEY(replaced_by) REFERENCES services (id)
);
CREATE TABLE pool (
\tcreated_at TIMESTAMP WITHOUT TIME ZONE,
\tupdated_at TIMESTAMP WITHOUT TIME ZONE,
\tid VARCHAR(36) NOT NULL,
\tzone VARCHAR(255),
\towner_id VARCHAR(36),
\tPRIMARY KEY (id),
\tFOREIGN KEY(zone) REFERENCES zone (name) ON DELETE CASCADE
);
CREATE TABLE member (
\tid VARCHAR(36) NOT NULL,
\tpool_id VARCHAR(36) NOT NULL,
\tPRIMARY KEY (id),
\tFOREIGN KEY(pool_id) REFERENCES pool (id)
);
CREATE TABLE owner (
\tid VARCHAR(36) NOT NULL,
\tpool_id VARCHAR(36),
\tPRIMARY KEY (id),
\tFOREIGN KEY(pool_id) REFERENCES pool (id)
);
ALTER TABLE pool ADD FOREIGN KEY(owner_id) REFERENCES owner (id);`,
    );
    // An index on a column no class has (from a mixin outside the workspace) is left out, not the table.
    assert.ok(!result.statements.some((s) => /services_uuid_idx/.test(s.sql)));
  });

  it("SQLAlchemy as Mistral writes it: the models' base from declarative_base(cls=…) in another module, columns from a helper, a TypeDecorator's impl", async () => {
    const files: PythonSourceFile[] = [
      {
        rel: 'db/model_base.py',
        text: `from oslo_db.sqlalchemy import models as oslo_models
import sqlalchemy as sa
from sqlalchemy.ext import declarative


def id_column():
    return sa.Column(sa.String(36), primary_key=True)


class _ModelBase(oslo_models.ModelBase, oslo_models.TimestampMixin):
    pass


ModelBase = declarative.declarative_base(cls=_ModelBase)


class SecureModelBase(ModelBase):
    __abstract__ = True
    project_id = sa.Column(sa.String(80))
`,
      },
      { rel: 'db/types.py', text: 'import sqlalchemy as sa\n\n\nclass JsonEncoded(sa.TypeDecorator):\n    impl = sa.Text\n\n\nclass JsonDict(JsonEncoded):\n    pass\n' },
      {
        rel: 'db/models.py',
        text: `import sqlalchemy as sa
from db import model_base as mb
from db import types as st


class Workbook(mb.SecureModelBase):
    __tablename__ = "workbooks"
    __table_args__ = (sa.UniqueConstraint("name", "project_id"),)
    id = mb.id_column()
    name = sa.Column(sa.String(255))
    spec = sa.Column(st.JsonDict())
`,
      },
    ];
    assert.deepEqual(
      (await pythonModelsDdl(files)).statements.map((s) => s.sql),
      [
        `CREATE TABLE workbooks (
\tcreated_at TIMESTAMP WITHOUT TIME ZONE,
\tupdated_at TIMESTAMP WITHOUT TIME ZONE,
\tproject_id VARCHAR(80),
\tid VARCHAR(36) NOT NULL,
\tname VARCHAR(255),
\tspec TEXT,
\tPRIMARY KEY (id),
\tUNIQUE (name, project_id)
);`,
      ],
    );
  });

  it("SQLAlchemy: the plain indexes Alembic migrations make on the models' tables, not their unique ones nor downgrade()'s", async () => {
    const files: PythonSourceFile[] = [
      ...example('fastapi-sqlalchemy'),
      {
        rel: 'alembic/versions/097fad24d2fc_owner_index.py',
        text: 'from alembic import op\n\nINDEX_NAME = "items_owner_id_idx"\n\n\ndef upgrade():\n    op.create_index(INDEX_NAME, "items", ["owner_id"])\n    op.create_index("ix_other", "not_a_model_table", ["x"])\n    op.create_unique_constraint("uq_items_title", "items", ["title"])\n\n\ndef downgrade():\n    op.create_index("items_old_idx", "items", ["price_cents"])\n',
      },
      {
        // Gnocchi: a data migration's table declaration is not a model.
        rel: 'alembic/versions/397987e38570_reencode.py',
        text: 'from alembic import op\nimport sqlalchemy as sa\n\nitems_table = sa.Table("items", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True), sa.Column("title", sa.String(200)))\n\n\ndef upgrade():\n    op.execute(items_table.update().values(title="x"))\n',
      },
    ];
    const result = await pythonModelsDdl(files);
    const sql = result.statements.map((s) => s.sql);
    assert.equal(sql[sql.length - 1], 'CREATE INDEX IF NOT EXISTS items_owner_id_idx ON items (owner_id);');
    assert.equal(sql.filter((s) => /IF NOT EXISTS/.test(s)).length, 1, sql.join('\n'));
    assert.equal(sql.filter((s) => /^CREATE TABLE items /.test(s)).length, 1, sql.join('\n'));
    assert.ok(result.files.includes('alembic/versions/097fad24d2fc_owner_index.py'));
  });

  it('Peewee: as create_tables() writes it (the DDL peewee 3.14 itself writes), with the BaseModel in another module', async () => {
    const files: PythonSourceFile[] = [
      { rel: 'app/base.py', text: `import datetime
from peewee import *

db = PostgresqlDatabase(None)


class BaseModel(Model):
    class Meta:
        database = db


` },
      { rel: 'app/models.py', text: `import datetime\nfrom peewee import *\nfrom .base import BaseModel\n\n\nclass User(BaseModel):
    username = CharField(unique=True)
    email = CharField(max_length=120, index=True)
    joined = DateTimeField(default=datetime.datetime.now)


class Tweet(BaseModel):
    user = ForeignKeyField(User, backref="tweets", on_delete="CASCADE")
    message = TextField()
    created_date = DateTimeField(default=datetime.datetime.now)
    is_published = BooleanField(default=True)
    price = DecimalField(max_digits=8, decimal_places=2, null=True)

    class Meta:
        indexes = ((("user", "created_date"), False),)


class Relationship(BaseModel):
    from_user = ForeignKeyField(User, backref="relationships")
    to_user = ForeignKeyField(User, backref="related_to")

    class Meta:
        indexes = ((("from_user", "to_user"), True),)


class UserProfile(BaseModel):
    user = ForeignKeyField(User, primary_key=True)
    bio = TextField(null=True)


` },
      // No import of Peewee here: the classes extend the BaseModel of a Peewee module.
      { rel: 'app/shop/models.py', text: `from ..base import *\n\n\nclass OrderLine(BaseModel):
    sku = FixedCharField(12)
    uuid = UUIDField(unique=True)
    total = BigIntegerField()

    class Meta:
        legacy_table_names = False
        table_name = None


` },
      { rel: 'app/tags.py', text: `from peewee import CharField, CompositeKey, ForeignKeyField\nfrom .base import BaseModel\nfrom .models import Tweet\n\n\nclass Tag(BaseModel):
    name = CharField(primary_key=True)


class TweetTag(BaseModel):
    tweet = ForeignKeyField(Tweet)
    tag = ForeignKeyField(Tag, field="name")

    class Meta:
        primary_key = CompositeKey("tweet", "tag")
        table_name = "tweet_tags"
` },
    ];
    assert.equal(await ddl(files), PEEWEE_DDL);
  });

  it('leaves out what declares no table: abstract and proxy models, SQLModel classes without table=True, files of neither ORM', async () => {
    const files: PythonSourceFile[] = [
      {
        rel: 'app/models.py',
        text: 'from django.db import models\n\nclass Base(models.Model):\n    class Meta:\n        abstract = True\n\nclass Thing(Base):\n    name = models.TextField()\n\nclass ThingProxy(Thing):\n    class Meta:\n        proxy = True\n',
      },
      { rel: 'api/schemas.py', text: 'from sqlmodel import SQLModel\n\nclass ThingRead(SQLModel):\n    name: str\n' },
      { rel: 'util/models.py', text: 'class Plain:\n    x = 1\n' },
    ];
    assert.equal(await ddl(files), 'CREATE TABLE "app_thing" ("id" integer NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "name" text NOT NULL);');
  });
});
