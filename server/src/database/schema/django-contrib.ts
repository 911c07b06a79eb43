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
]);

/** Django's own apps declare `default_auto_field = "django.db.models.AutoField"`: integer ids whatever the project's default. */
export const DJANGO_CONTRIB_AUTO_FIELD = 'django.db.models.AutoField';

export const DJANGO_CONTRIB_SOURCE = `from django.db import models


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


class Site(models.Model):
    domain = models.CharField(max_length=100, unique=True)
    name = models.CharField(max_length=50)

    class Meta:
        app_label = "sites"
        db_table = "django_site"
        ordering = ["domain"]
`;
