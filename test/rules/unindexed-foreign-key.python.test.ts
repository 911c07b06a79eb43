import { ruleTests } from '../harness/rule-tester';

const SA = 'from sqlalchemy import ForeignKey, Index, Integer, Column, UniqueConstraint\nfrom sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column\n\n\nclass Base(DeclarativeBase):\n    pass\n\n\n';

ruleTests('unindexed-foreign-key', {
  valid: [
    {
      name: 'index=True, unique=True',
      file: 'models.py',
      code: `${SA}class Item(Base):\n    __tablename__ = "items"\n    id: Mapped[int] = mapped_column(primary_key=True)\n    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id"), index=True)\n    profile_id = Column(Integer, ForeignKey("profiles.id"), unique=True)\n`,
      why: 'both make an index on the column',
    },
    {
      name: 'the first column of a composite primary key, and an Index in __table_args__',
      file: 'models.py',
      code: `${SA}class PostTag(Base):\n    __tablename__ = "post_tags"\n    __table_args__ = (Index("ix_post_tags_tag_id", "tag_id"),)\n    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), primary_key=True)\n    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id"), primary_key=True)\n`,
      why: 'the primary key serves post_id, the Index tag_id',
    },
    {
      name: 'a UniqueConstraint that starts with it, and a module-level Index',
      file: 'models.py',
      code: `${SA}class Item(Base):\n    __tablename__ = "items"\n    __table_args__ = (UniqueConstraint("owner_id", "slug"),)\n    id: Mapped[int] = mapped_column(primary_key=True)\n    slug: Mapped[str]\n    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id"))\n    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))\n\n\nIndex("ix_items_shop_id", Item.shop_id)\n`,
      why: 'both are indexes that start with the key',
    },
    {
      name: 'SQLModel Field(foreign_key=…, index=True)',
      file: 'models.py',
      code: 'from sqlmodel import Field, SQLModel\n\n\nclass Hero(SQLModel, table=True):\n    id: int | None = Field(default=None, primary_key=True)\n    team_id: int | None = Field(default=None, foreign_key="team.id", index=True)\n',
      why: 'index=True',
    },
    {
      name: 'a workspace whose only database driver is MySQL\'s',
      file: 'models.py',
      workspace: { 'requirements.txt': 'fastapi==0.110\nSQLAlchemy>=2.0\nPyMySQL==1.1.0\n' },
      code: `${SA}class Item(Base):\n    __tablename__ = "items"\n    id: Mapped[int] = mapped_column(primary_key=True)\n    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id"))\n`,
      why: 'InnoDB indexes every foreign key on its own',
    },
    {
      name: 'options unpacked into the column call',
      file: 'models.py',
      code: `${SA}FK_OPTIONS = {"index": True}\n\n\nclass Item(Base):\n    __tablename__ = "items"\n    id: Mapped[int] = mapped_column(primary_key=True)\n    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id"), **FK_OPTIONS)\n`,
      why: 'the unpacked options may hold index=True',
    },
    {
      name: 'Django ForeignKey',
      file: 'models.py',
      code: 'from django.db import models\n\n\nclass Post(models.Model):\n    author = models.ForeignKey("Author", on_delete=models.CASCADE)\n',
      why: 'Django indexes a ForeignKey on its own (db_index=True)',
    },
    {
      name: "foreign keys that Alembic migrations index by hand: create_index with the module's constants, in a loop over a list, in create_table and in a batch",
      file: 'models.py',
      workspace: {
        'alembic/versions/097fad24d2fc_share_id_index.py': 'from alembic import op\n\nrevision = "097fad24d2fc"\nINDEX_NAME = "share_instances_share_id_idx"\nTABLE_NAME = "share_instances"\n\n\ndef upgrade():\n    op.create_index(INDEX_NAME, TABLE_NAME, ["share_id"])\n\n\ndef downgrade():\n    op.drop_index(INDEX_NAME, TABLE_NAME)\n',
        'alembic/versions/ac00b586ab95_node_indexes.py': 'from alembic import op\n\n\ndef upgrade():\n    tbl_name = "nodes"\n    indexes = [(["owner_id"], "owner_idx"), (["lessee_id", "id"], "lessee_idx")]\n    for fields, idx_name in indexes:\n        op.create_index(idx_name, tbl_name, fields, unique=False)\n',
        'alembic/versions/1a2b_ports.py': 'import sqlalchemy as sa\nfrom alembic import op\n\n\ndef upgrade():\n    op.create_table(\n        "ports",\n        sa.Column("id", sa.Integer(), primary_key=True),\n        sa.Column("node_id", sa.Integer(), sa.ForeignKey("nodes.id")),\n        sa.Index("ports_node_id_idx", "node_id"),\n    )\n    with op.batch_alter_table("share_instances") as batch_op:\n        batch_op.create_index("si_host_idx", ["host_id"])\n    op.create_index(index_name="ports_group_idx", table_name="ports", columns=["group_id"])\n',
      },
      code: `${SA}class Share(Base):\n    __tablename__ = "share_instances"\n    id = Column(Integer, primary_key=True)\n    share_id = Column(Integer, ForeignKey("shares.id"))\n    host_id = Column(Integer, ForeignKey("hosts.id"))\n\n\nclass Node(Base):\n    __tablename__ = "nodes"\n    id = Column(Integer, primary_key=True)\n    owner_id = Column(Integer, ForeignKey("owners.id"))\n    lessee_id = Column(Integer, ForeignKey("lessees.id"))\n\n\nclass Port(Base):\n    __tablename__ = "ports"\n    id = Column(Integer, primary_key=True)\n    node_id = Column(Integer, ForeignKey("nodes.id"))\n    group_id = Column(Integer, ForeignKey("groups.id"))\n`,
      why: 'the migrations make the indexes the models do not declare',
    },
  ],
  invalid: [
    {
      name: 'an index an Alembic migration makes only in downgrade(), or on another table',
      file: 'models.py',
      workspace: {
        'alembic/versions/2b3c_undo.py': 'from alembic import op\n\n\ndef upgrade():\n    op.drop_index("share_instances_share_id_idx", "share_instances")\n    op.create_index("other_share_idx", "shares", ["share_id"])\n\n\ndef downgrade():\n    op.create_index("share_instances_share_id_idx", "share_instances", ["share_id"])\n',
      },
      code: `${SA}class Share(Base):\n    __tablename__ = "share_instances"\n    id = Column(Integer, primary_key=True)\n    share_id = Column(Integer, ForeignKey("shares.id"))\n`,
      findings: [{ line: 12 }],
      output: `${SA}class Share(Base):\n    __tablename__ = "share_instances"\n    id = Column(Integer, primary_key=True)\n    share_id = Column(Integer, ForeignKey("shares.id"), index=True)\n`,
    },
    {
      name: 'mapped_column(ForeignKey(…)): the fix adds index=True',
      file: 'models.py',
      code: `${SA}class Item(Base):\n    __tablename__ = "items"\n    id: Mapped[int] = mapped_column(primary_key=True)\n    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id"))\n`,
      findings: [{ line: 12, message: /^`Item\.owner_id` is a foreign key to `owners` without an index: SQLAlchemy does not create one for a foreign key.*Add `index=True` to the column/ }],
      output: `${SA}class Item(Base):\n    __tablename__ = "items"\n    id: Mapped[int] = mapped_column(primary_key=True)\n    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id"), index=True)\n`,
    },
    {
      name: 'a workspace with drivers of both MySQL and PostgreSQL',
      file: 'models.py',
      workspace: { 'pyproject.toml': '[project]\nname = "app"\ndependencies = ["sqlalchemy>=2", "psycopg[binary]>=3.1", "aiomysql"]\n' },
      code: `${SA}class Item(Base):\n    __tablename__ = "items"\n    id: Mapped[int] = mapped_column(primary_key=True)\n    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id"))\n`,
      findings: [{ line: 12 }],
      output: `${SA}class Item(Base):\n    __tablename__ = "items"\n    id: Mapped[int] = mapped_column(primary_key=True)\n    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id"), index=True)\n`,
    },
    {
      name: 'Flask-SQLAlchemy db.Column(db.Integer, db.ForeignKey(…))',
      file: 'models.py',
      code: 'from app import db\n\n\nclass Post(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False)\n',
      findings: [{ line: 6, message: /`Post\.user_id` is a foreign key to `user`/ }],
      output: 'from app import db\n\n\nclass Post(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False, index=True)\n',
    },
    {
      name: 'SQLModel Field(foreign_key=…)',
      file: 'models.py',
      code: 'from sqlmodel import Field, SQLModel\n\n\nclass Hero(SQLModel, table=True):\n    id: int | None = Field(default=None, primary_key=True)\n    team_id: int | None = Field(default=None, foreign_key="team.id")\n',
      findings: [{ line: 6, message: /`Hero\.team_id` is a foreign key to `team`/ }],
      output: 'from sqlmodel import Field, SQLModel\n\n\nclass Hero(SQLModel, table=True):\n    id: int | None = Field(default=None, primary_key=True)\n    team_id: int | None = Field(default=None, foreign_key="team.id", index=True)\n',
    },
    {
      name: 'black\'s layout, one argument per line and a trailing comma: index=True on a line of its own',
      file: 'models.py',
      code: `${SA}class Item(Base):\n    __tablename__ = "items"\n    id: Mapped[int] = mapped_column(primary_key=True)\n    owner_id: Mapped[int] = mapped_column(\n        ForeignKey("owners.id", ondelete="CASCADE"),\n        nullable=False,\n    )\n`,
      findings: [{ line: 13 }],
      output: `${SA}class Item(Base):\n    __tablename__ = "items"\n    id: Mapped[int] = mapped_column(primary_key=True)\n    owner_id: Mapped[int] = mapped_column(\n        ForeignKey("owners.id", ondelete="CASCADE"),\n        nullable=False,\n        index=True,\n    )\n`,
    },
    {
      name: 'a trailing comma on one line',
      file: 'models.py',
      code: 'from sqlmodel import Field, SQLModel\n\n\nclass Hero(SQLModel, table=True):\n    id: int | None = Field(default=None, primary_key=True)\n    team_id: int | None = Field(default=None, foreign_key="team.id",)\n',
      findings: [{ line: 6 }],
      output: 'from sqlmodel import Field, SQLModel\n\n\nclass Hero(SQLModel, table=True):\n    id: int | None = Field(default=None, primary_key=True)\n    team_id: int | None = Field(default=None, foreign_key="team.id", index=True)\n',
    },
    {
      name: 'index=False turned true',
      file: 'models.py',
      code: 'from sqlmodel import Field, SQLModel\n\n\nclass Hero(SQLModel, table=True):\n    id: int | None = Field(default=None, primary_key=True)\n    city_id: int | None = Field(default=None, foreign_key="city.id", index=False)\n',
      findings: [{ line: 6, message: /`Hero\.city_id` is a foreign key to `city`/ }],
      output: 'from sqlmodel import Field, SQLModel\n\n\nclass Hero(SQLModel, table=True):\n    id: int | None = Field(default=None, primary_key=True)\n    city_id: int | None = Field(default=None, foreign_key="city.id", index=True)\n',
    },
    {
      name: 'the second column of a composite primary key',
      file: 'models.py',
      code: `${SA}class PostTag(Base):\n    __tablename__ = "post_tags"\n    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), primary_key=True)\n    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id"), primary_key=True)\n`,
      findings: [{ line: 12, message: /`PostTag\.tag_id` is a foreign key to `tags`/ }],
      output: `${SA}class PostTag(Base):\n    __tablename__ = "post_tags"\n    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), primary_key=True)\n    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id"), primary_key=True, index=True)\n`,
    },
  ],
});

// Alembic migrations run in the order of their down_revision links, whatever their file names say.
const SHARE_MODEL = `from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Share(Base):
    __tablename__ = "share_instances"
    id = Column(Integer, primary_key=True)
    share_id = Column(Integer, ForeignKey("shares.id"))
`;
const CREATE = 'from alembic import op\n\nrevision = "f00d"\ndown_revision = None\n\n\ndef upgrade():\n    op.create_index("si_share_idx", "share_instances", ["share_id"])\n';
const DROP = 'from alembic import op\n\nrevision = "0bad"\ndown_revision = "f00d"\n\n\ndef upgrade():\n    op.drop_index("si_share_idx", table_name="share_instances")\n';
ruleTests('unindexed-foreign-key', {
  valid: [
    {
      name: 'Alembic: an index dropped by a migration and made again by the one after it (file names in no order)',
      file: 'app/models.py',
      workspace: {
        'alembic/versions/f00d_create.py': CREATE,
        'alembic/versions/0bad_drop.py': DROP,
        'alembic/versions/aaaa_again.py': 'from alembic import op\n\nrevision = "aaaa"\ndown_revision = "0bad"\n\n\ndef upgrade():\n    op.create_index("si_share_idx", "share_instances", ["share_id"])\n',
      },
      code: SHARE_MODEL,
      why: 'the migration that runs last makes the index again',
    },
    {
      name: 'Alembic: a drop in a migration that runs before the one making the index, or in a downgrade()',
      file: 'app/models.py',
      workspace: {
        'alembic/versions/f00d_create.py': CREATE.replace('down_revision = None', 'down_revision = "0bad"'),
        'alembic/versions/0bad_drop.py': DROP.replace('down_revision = "f00d"', 'down_revision = None'),
        'alembic/versions/cafe_undo.py': 'from alembic import op\n\nrevision = "cafe"\ndown_revision = "f00d"\n\n\ndef upgrade():\n    pass\n\n\ndef downgrade():\n    op.drop_index("si_share_idx", table_name="share_instances")\n',
      },
      code: SHARE_MODEL,
      why: 'the index is made after that drop, and a downgrade undoes',
    },
  ],
  invalid: [
    {
      name: 'Alembic: an index a later migration (by its down_revision) drops',
      file: 'app/models.py',
      workspace: { 'alembic/versions/f00d_create.py': CREATE, 'alembic/versions/0bad_drop.py': DROP },
      code: SHARE_MODEL,
      findings: [{ line: 10, message: /^`Share\.share_id` is a foreign key to `shares` without an index \(`si_share_idx` was one until `0bad_drop\.py` dropped it\): SQLAlchemy/ }],
    },
  ],
});

