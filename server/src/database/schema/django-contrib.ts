/**
 * The models of Django's own apps that a project's models and queries point at: `auth.User`
 * (`auth_user`), `auth.Group`, `auth.Permission`, `contenttypes.ContentType` and `sites.Site`, with
 * the abstract user models a custom user extends. They are not in the workspace (they ship with
 * Django), yet `ForeignKey(settings.AUTH_USER_MODEL)` and `select_related("author")` to a user need
 * their tables. Written here as the declarations Django makes (fields, lengths, Meta) so that both
 * readers, the DDL one and the translator's, read them as they read the workspace's models.
 */

/** A name for the declarations below where a file name is expected; never a file of the workspace. */
export const DJANGO_CONTRIB_FILE = '<django.contrib>/models.py';

/** The apps, by label, with the `INSTALLED_APPS` entry that installs each. */
export const DJANGO_CONTRIB_APPS: ReadonlyMap<string, string> = new Map([
  ['contenttypes', 'django.contrib.contenttypes'],
  ['auth', 'django.contrib.auth'],
  ['sites', 'django.contrib.sites'],
  ['admin', 'django.contrib.admin'],
  ['sessions', 'django.contrib.sessions'],
]);

/**
 * The apps a module uses: it imports from them (`from django.contrib.sites.models import Site`) or
 * names one of their models as a relation's target does (`"sites.Site"`).
 */
export function contribAppsImported(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(/^\s*(?:from|import)\s+django\.contrib\.(\w+)|["'](\w+)\.[A-Z]\w*["']/gm)) {
    const app = m[1] ?? m[2];
    if (DJANGO_CONTRIB_APPS.has(app)) out.add(app);
  }
  return [...out];
}

/** Django's own apps declare `default_auto_field = "django.db.models.AutoField"`: integer ids whatever the project's default. */
export const DJANGO_CONTRIB_AUTO_FIELD = 'django.db.models.AutoField';

export const DJANGO_CONTRIB_SOURCE = `from django.conf import settings
from django.db import models


class ContentType(models.Model):
    app_label = models.CharField(max_length=100)
    model = models.CharField(max_length=100)

    class Meta:
        app_label = "contenttypes"
        db_table = "django_content_type"
        unique_together = [["app_label", "model"]]


class Permission(models.Model):
    name = models.CharField(max_length=255)
    content_type = models.ForeignKey("contenttypes.ContentType", models.CASCADE)
    codename = models.CharField(max_length=100)

    class Meta:
        app_label = "auth"
        unique_together = [["content_type", "codename"]]
        ordering = ["content_type__app_label", "content_type__model", "codename"]


class Group(models.Model):
    name = models.CharField(max_length=150, unique=True)
    permissions = models.ManyToManyField("auth.Permission", blank=True)

    class Meta:
        app_label = "auth"


class AbstractBaseUser(models.Model):
    password = models.CharField(max_length=128)
    last_login = models.DateTimeField(blank=True, null=True)

    class Meta:
        abstract = True


class PermissionsMixin(models.Model):
    is_superuser = models.BooleanField(default=False)
    groups = models.ManyToManyField("auth.Group", blank=True)
    user_permissions = models.ManyToManyField("auth.Permission", blank=True)

    class Meta:
        abstract = True


class AbstractUser(AbstractBaseUser, PermissionsMixin):
    username = models.CharField(max_length=150, unique=True)
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    email = models.EmailField(blank=True)
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField()

    class Meta:
        abstract = True


class User(AbstractUser):
    class Meta:
        app_label = "auth"
        swappable = "AUTH_USER_MODEL"


class LogEntry(models.Model):
    action_time = models.DateTimeField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE)
    content_type = models.ForeignKey("contenttypes.ContentType", models.SET_NULL, blank=True, null=True)
    object_id = models.TextField(blank=True, null=True)
    object_repr = models.CharField(max_length=200)
    action_flag = models.PositiveSmallIntegerField()
    change_message = models.TextField(blank=True)

    class Meta:
        app_label = "admin"
        db_table = "django_admin_log"
        ordering = ["-action_time"]


class Session(models.Model):
    session_key = models.CharField(max_length=40, primary_key=True)
    session_data = models.TextField()
    expire_date = models.DateTimeField(db_index=True)

    class Meta:
        app_label = "sessions"
        db_table = "django_session"


class Site(models.Model):
    domain = models.CharField(max_length=100, unique=True)
    name = models.CharField(max_length=50)

    class Meta:
        app_label = "sites"
        db_table = "django_site"
        ordering = ["domain"]
`;
