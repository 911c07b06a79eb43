/** The embedded database's schema from JS/TS migrations that run raw SQL (TypeORM's generated ones, Knex, Sequelize). */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { migrationSql } from '../../server/src/database/schema/js-migrations';
import { loadWorkspaceSchema } from '../../server/src/database/schema/workspace-schema';

const TYPEORM_INIT = `import { MigrationInterface, QueryRunner } from 'typeorm';

export class Init1700000000000 implements MigrationInterface {
  name = 'Init1700000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(\`CREATE TABLE "user" ("id" SERIAL NOT NULL, "email" character varying NOT NULL, CONSTRAINT "PK_user" PRIMARY KEY ("id"))\`);
    await queryRunner.query(\`CREATE TABLE "post" ("id" SERIAL NOT NULL, "title" character varying NOT NULL, "authorId" integer, CONSTRAINT "PK_post" PRIMARY KEY ("id"))\`);
    await queryRunner.query(\`ALTER TABLE "post" ADD CONSTRAINT "FK_post_author" FOREIGN KEY ("authorId") REFERENCES "user"("id") ON DELETE NO ACTION ON UPDATE NO ACTION\`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(\`DROP TABLE "post"\`);
    await queryRunner.query(\`DROP TABLE "user"\`);
  }
}
`;

const TYPEORM_INDEX = `import { MigrationInterface, QueryRunner } from 'typeorm';

export class PostAuthorIndex1700000100000 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(\`CREATE INDEX "IDX_post_author" ON "post" ("authorId") \`);
    await queryRunner.query(\`UPDATE "post" SET "title" = 'x' WHERE "id" = \${1}\`);
  }
  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(\`DROP INDEX "IDX_post_author"\`);
  }
}
`;

describe('database: schema from JS/TS migrations', () => {
  it('reads the SQL of up(), in order, and never of down() or a template with substitutions', () => {
    assert.deepEqual(migrationSql('1700000000000-Init.ts', TYPEORM_INIT).map((q) => q.slice(0, 26)), ['CREATE TABLE "user" ("id" ', 'CREATE TABLE "post" ("id" ', 'ALTER TABLE "post" ADD CON']);
    assert.deepEqual(migrationSql('1700000100000-PostAuthorIndex.ts', TYPEORM_INDEX), ['CREATE INDEX "IDX_post_author" ON "post" ("authorId") ']);
  });

  it('Knex (exports.up with knex.raw / knex.schema.raw) and Sequelize (queryInterface.sequelize.query in up)', () => {
    const knex = "exports.up = async function (knex) {\n  await knex.raw('CREATE TABLE tags (id serial PRIMARY KEY, name text NOT NULL)');\n  await knex.schema.raw(`CREATE INDEX tags_name_idx ON tags (name)`);\n};\nexports.down = (knex) => knex.raw('DROP TABLE tags');\n";
    assert.deepEqual(migrationSql('20240101000000_tags.js', knex), ['CREATE TABLE tags (id serial PRIMARY KEY, name text NOT NULL)', 'CREATE INDEX tags_name_idx ON tags (name)']);
    const sequelize = "module.exports = {\n  async up(queryInterface) {\n    await queryInterface.sequelize.query('CREATE TABLE likes (id serial PRIMARY KEY)');\n  },\n  down: async (queryInterface) => queryInterface.sequelize.query('DROP TABLE likes'),\n};\n";
    assert.deepEqual(migrationSql('20240101-likes.js', sequelize), ['CREATE TABLE likes (id serial PRIMARY KEY)']);
    assert.deepEqual(migrationSql('broken.ts', 'export async function up(q) { await q.query(`CREATE TABLE x (id int)`'), ['CREATE TABLE x (id int)'], 'half-typed code keeps what it can');
  });

  it('loads a TypeORM project\'s migrations in file-name order, as DDL only, and no file outside a migrations folder', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-js-migrations-'));
    try {
      fs.mkdirSync(path.join(root, 'src/migrations'), { recursive: true });
      fs.writeFileSync(path.join(root, 'src/migrations/1700000100000-PostAuthorIndex.ts'), TYPEORM_INDEX);
      fs.writeFileSync(path.join(root, 'src/migrations/1700000000000-Init.ts'), TYPEORM_INIT);
      fs.writeFileSync(path.join(root, 'src/seed.ts'), "export async function up(q) { await q.query('CREATE TABLE not_a_migration (id int)'); }\n");
      const schema = await loadWorkspaceSchema(root);
      assert.deepEqual(schema.files, ['src/migrations/1700000000000-Init.ts', 'src/migrations/1700000100000-PostAuthorIndex.ts']);
      assert.deepEqual(
        schema.statements.map((s) => s.sql.split(' (')[0]),
        ['CREATE TABLE "user"', 'CREATE TABLE "post"', 'ALTER TABLE "post" ADD CONSTRAINT "FK_post_author" FOREIGN KEY', 'CREATE INDEX "IDX_post_author" ON "post"'],
      );
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("reads templates whose only holes are table-name prefixes, without them (n8n's `${tablePrefix}`)", () => {
    const n8n = "class InitialMigration1587669153312 {\n  async up({ queryRunner, tablePrefix }) {\n    await queryRunner.query(`CREATE TABLE IF NOT EXISTS ${tablePrefix}credentials_entity (\"id\" SERIAL NOT NULL, CONSTRAINT PK_${tablePrefix}814c PRIMARY KEY (\"id\"))`);\n    await queryRunner.query(`CREATE INDEX IDX_${this.tablePrefix}07fd ON ${this.tablePrefix}credentials_entity (type)`);\n    await queryRunner.query(`UPDATE ${tablePrefix}credentials_entity SET type = ${type}`);\n  }\n}\nexports.InitialMigration1587669153312 = InitialMigration1587669153312;\n";
    assert.deepEqual(migrationSql('1587669153312-InitialMigration.js', n8n), [
      'CREATE TABLE IF NOT EXISTS credentials_entity ("id" SERIAL NOT NULL, CONSTRAINT PK_814c PRIMARY KEY ("id"))',
      'CREATE INDEX IDX_07fd ON credentials_entity (type)',
    ]);
  });

  it("takes one database's migrations where a project keeps a set per database (n8n's sqlite/, postgresdb/, mysqldb/), and the shared ones", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-js-migrations-'));
    const migration = (table: string, type: string) => `exports.up = async (knex) => { await knex.raw('CREATE TABLE ${table} (id ${type} PRIMARY KEY)'); };\n`;
    try {
      for (const dir of ['sqlite', 'postgresdb', 'mysqldb', 'common']) fs.mkdirSync(path.join(root, 'src/migrations', dir), { recursive: true });
      fs.writeFileSync(path.join(root, 'src/migrations/sqlite/1600000000000-Init.js'), migration('workflow', 'integer'));
      fs.writeFileSync(path.join(root, 'src/migrations/postgresdb/1600000000000-Init.js'), migration('workflow', 'serial'));
      fs.writeFileSync(path.join(root, 'src/migrations/mysqldb/1600000000000-Init.js'), migration('workflow', 'int AUTO_INCREMENT'));
      fs.writeFileSync(path.join(root, 'src/migrations/common/1700000000000-Tags.js'), migration('tag', 'serial'));
      const schema = await loadWorkspaceSchema(root);
      assert.deepEqual(schema.files, ['src/migrations/postgresdb/1600000000000-Init.js', 'src/migrations/common/1700000000000-Tags.js']);
      fs.rmSync(path.join(root, 'src/migrations/postgresdb'), { recursive: true });
      assert.deepEqual((await loadWorkspaceSchema(root)).files, ['src/migrations/mysqldb/1600000000000-Init.js', 'src/migrations/common/1700000000000-Tags.js']);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("takes PostgreSQL's Prisma schema and migrations where a project keeps one per database (Umami's db/mysql/ and db/postgresql/), never ClickHouse's", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-js-migrations-'));
    try {
      fs.mkdirSync(path.join(root, 'db/clickhouse/migrations'), { recursive: true });
      fs.writeFileSync(path.join(root, 'db/clickhouse/migrations/01_init.sql'), 'CREATE TABLE event (id UInt32) ENGINE = MergeTree ORDER BY id;\n');
      for (const db of ['mysql', 'postgresql']) {
        fs.mkdirSync(path.join(root, `db/${db}/migrations/01_init`), { recursive: true });
        fs.writeFileSync(path.join(root, `db/${db}/schema.prisma`), 'model User {\n  id Int @id\n}\n');
        fs.writeFileSync(path.join(root, `db/${db}/migrations/01_init/migration.sql`), db === 'mysql' ? 'CREATE TABLE `user` (`id` INTEGER NOT NULL);\n' : 'CREATE TABLE "user" ("id" INTEGER NOT NULL);\n');
      }
      const schema = await loadWorkspaceSchema(root);
      assert.deepEqual(schema.files, ['db/postgresql/migrations/01_init/migration.sql']);
      assert.deepEqual(schema.statements.map((s) => s.sql), ['CREATE TABLE "user" ("id" INTEGER NOT NULL)']);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
