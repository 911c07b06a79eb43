import { ruleTests } from '../harness/rule-tester';

const MODELS = `import sqlalchemy as sa
from sqlalchemy import Boolean, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("tenant", "handle"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    handle: Mapped[str] = mapped_column(String(30))
    tenant: Mapped[int] = mapped_column()
    city: Mapped[str] = mapped_column(String(50), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    kind: Mapped[str] = mapped_column(sa.Enum("a", "b", name="kind"))
    nickname: Mapped[str]
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))


Index("ix_users_nickname_email", User.nickname, User.email)
`;
const SQLMODEL = `from sqlmodel import Field, SQLModel


class HeroBase(SQLModel):
    name: str = Field(index=True)


class Hero(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field()
    secret_name: str
    age: int | None = Field(default=None, index=True)
`;
const workspace = { 'app/models.py': MODELS, 'app/heroes.py': SQLMODEL };
const HEAD = 'from fastapi import FastAPI\nfrom sqlalchemy import and_, or_, select\nfrom sqlalchemy.orm import Session\nfrom .models import User\n\napp = FastAPI()\n\n\n';

ruleTests('unindexed-filter', {
  valid: [
    {
      name: 'index=True, the primary key, the first column of a UniqueConstraint and of a module-level Index',
      file: 'app/main.py',
      code: `${HEAD}@app.get("/u")\ndef read(session: Session, city: str, tenant: int, nickname: str, id: int):\n    a = session.scalars(select(User).where(User.city == city)).all()\n    b = session.scalars(select(User).where(User.tenant == tenant, User.email == "x")).first()\n    c = session.query(User).filter_by(nickname=nickname).first()\n    d = session.scalars(select(User).where(User.id.in_([id]))).all()\n    return a, b, c, d\n`,
      why: 'each has an index that starts with it',
      workspace,
    },
    {
      name: 'a boolean and a foreign key',
      file: 'app/main.py',
      code: `${HEAD}@app.get("/u")\ndef read(session: Session, team: int):\n    a = session.scalars(select(User).where(User.active == True, User.kind == "a")).all()\n    b = session.scalars(select(User).where(User.team_id == team)).all()\n    return a, b\n`,
      why: 'few values; an unindexed foreign key is unindexed-foreign-key\'s',
      workspace,
    },
    {
      name: 'or_, a join, a column of another model, like, is None',
      file: 'app/main.py',
      code: `${HEAD}@app.get("/u")\ndef read(session: Session, q: str):\n    a = session.scalars(select(User).where(or_(User.email == q, User.handle == q))).all()\n    b = session.scalars(select(User).join(User.team).where(User.email == q)).all()\n    c = session.scalars(select(User).where(User.email.ilike(q))).all()\n    d = session.scalars(select(User).where(User.email.is_(None))).all()\n    return a, b, c, d\n`,
      why: 'conditions not read here might be served by an index; the others no plain index serves',
      workspace,
    },
    {
      name: 'an index an Alembic migration makes by hand, and one of a .sql file',
      file: 'app/main.py',
      code: `${HEAD}@app.get("/u")\ndef read(session: Session, email: str, handle: str):\n    a = session.scalars(select(User).where(User.email == email)).first()\n    b = session.query(User).filter_by(handle=handle).first()\n    return a, b\n`,
      why: 'op.create_index on users (email), CREATE INDEX on users (handle)',
      workspace: {
        ...workspace,
        'migrations/versions/0001_init.py': 'from alembic import op\n\nrevision = "0001"\ndown_revision = None\n\n\ndef upgrade():\n    op.create_index("ix_users_email", "users", ["email"])\n',
        'sql/indexes.sql': 'CREATE INDEX users_handle_idx ON users (handle);\n',
      },
    },
    {
      name: 'a SQLModel class without table=True is no table',
      file: 'app/main.py',
      code: 'from sqlmodel import Session, select\nfrom .heroes import HeroBase\n\n\ndef read(session: Session, name: str):\n    return session.exec(select(HeroBase).where(HeroBase.name == name)).all()\n',
      why: 'HeroBase is a pydantic schema: nothing to index',
      workspace,
    },
  ],
  invalid: [
    {
      name: 'a 2.0 select by a plain column, and a legacy query with filter_by',
      file: 'app/main.py',
      code: `${HEAD}@app.get("/u")\ndef read(session: Session, email: str):\n    user = session.scalars(select(User).where(User.email == email)).first()\n    same = session.query(User).filter_by(email=email).one()\n    return user, same\n`,
      findings: [
        { line: 11, message: /`select\(User\)\.where\(User\.email == email\)` filters User by `email`, and no index of User starts with it.*Add `index=True` to `User\.email` in models\.py, then make its migration \(Alembic: `alembic revision --autogenerate`\)\./ },
        { line: 12, message: /filters User by `email`/ },
      ],
      otherFile: { path: 'app/models.py', text: MODELS.replace('email: Mapped[str] = mapped_column(String(254))', 'email: Mapped[str] = mapped_column(String(254), index=True)') },
      workspace,
    },
    {
      name: 'and_ and & combine conditions; equality then a range',
      file: 'app/main.py',
      code: `${HEAD}@app.get("/u")\ndef read(session: Session, handle: str, since: str):\n    return session.scalars(select(User).where(and_(User.email > since, User.handle == handle) & (User.active == True))).all()\n`,
      findings: [{ line: 11, message: /filters User by `email`, `handle`.*`index=True` to `User\.handle`.*or an `Index\(…, User\.handle, User\.email\)` for all of them/ }],
      otherFile: { path: 'app/models.py', text: MODELS.replace('handle: Mapped[str] = mapped_column(String(30))', 'handle: Mapped[str] = mapped_column(String(30), index=True)') },
      workspace,
    },
    {
      name: 'SQLModel: a Field() column gets index=True; a bare annotation is reported with advice only',
      file: 'app/main.py',
      code: 'from sqlmodel import Session, select\nfrom .heroes import Hero\n\n\ndef read(session: Session, name: str, secret: str):\n    a = session.exec(select(Hero).where(Hero.name == name)).first()\n    b = session.exec(select(Hero).where(Hero.secret_name == secret)).first()\n    return a, b\n',
      findings: [{ line: 6, message: /filters Hero by `name`.*`index=True` to `Hero\.name` in heroes\.py/ }, { line: 7, message: /filters Hero by `secret_name`/ }],
      otherFile: { path: 'app/heroes.py', text: SQLMODEL.replace('    name: str = Field()\n', '    name: str = Field(index=True)\n') },
      workspace,
    },
  ],
});
