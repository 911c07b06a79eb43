import { ruleTests } from '../harness/rule-tester';

const MODELS = `from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, Model, SqliteDatabase

db = SqliteDatabase("app.db")


class BaseModel(Model):
    class Meta:
        database = db


class User(BaseModel):
    username = CharField(unique=True)
    email = CharField()
    city = CharField(index=True)
    tenant = IntegerField()
    name = CharField()
    active = BooleanField(default=True)
    joined = DateTimeField()

    class Meta:
        indexes = ((("tenant", "name"), False),)


class Tweet(BaseModel):
    user = ForeignKeyField(User, backref="tweets")
    message = CharField()
`;
const workspace = { 'app/models.py': MODELS };
const HEAD = 'from flask import Flask\nfrom .models import Tweet, User\n\napp = Flask(__name__)\n\n\n';

ruleTests('unindexed-filter', {
  valid: [
    {
      name: 'unique, index=True, the first field of Meta.indexes, a ForeignKeyField, the implicit id',
      file: 'app/views.py',
      code: `${HEAD}@app.route("/u/<name>")\ndef user(name):\n    a = User.get(User.username == name)\n    b = User.select().where(User.city == name).first()\n    c = User.get_or_none(tenant=1, name=name)\n    d = list(Tweet.select().where(Tweet.user == a).limit(20))\n    e = User.get(User.id == 1)\n    return str((a, b, c, d, e))\n`,
      why: 'each has an index that starts with it (Peewee indexes foreign keys)',
      workspace,
    },
    {
      name: 'a boolean, a | of conditions',
      file: 'app/views.py',
      code: `${HEAD}@app.route("/u/<name>")\ndef user(name):\n    a = User.select().where(User.active == True).count()\n    b = User.select().where((User.email == name) | (User.name == name)).first()\n    return str((a, b))\n`,
      why: 'few values; an OR of conditions not read here',
      workspace,
    },
  ],
  invalid: [
    {
      name: 'get and a select by a plain field; equality and a range',
      file: 'app/views.py',
      code: `${HEAD}@app.route("/u/<email>")\ndef user(email):\n    a = User.get(User.email == email)\n    b = User.select().where((User.joined > 0) & (User.email == email)).count()\n    return str((a, b))\n`,
      findings: [
        { line: 9, message: /`User\.get\(User\.email == email\)` filters User by `email`, and no index of User starts with it.*Add `index=True` to `User\.email` in models\.py \(`create_tables\(\)` makes it/ },
        { line: 10, message: /filters User by `joined`, `email`.*or `\(\("email", "joined"\), False\)` in its `Meta\.indexes`/ },
      ],
      otherFile: { path: 'app/models.py', text: MODELS.replace('    email = CharField()\n', '    email = CharField(index=True)\n') },
      workspace,
    },
    {
      name: 'Django-style filter() keywords on a Peewee select',
      file: 'app/views.py',
      code: `${HEAD}@app.route("/t/<m>")\ndef tweets(m):\n    return str(list(Tweet.select().filter(message=m).limit(10)))\n`,
      findings: [{ line: 9, message: /filters Tweet by `message`/ }],
      otherFile: { path: 'app/models.py', text: MODELS.replace('    message = CharField()\n', '    message = CharField(index=True)\n') },
      workspace,
    },
  ],
});
