import { ruleTests } from '../harness/rule-tester';

const MODEL = `import { DataTypes, Model } from 'sequelize';
import { sequelize } from './db';
import { Team } from './team';

export class User extends Model {}

User.init(
  {
    email: DataTypes.STRING,
    handle: { type: DataTypes.STRING, unique: true },
    city: DataTypes.STRING,
    name: DataTypes.STRING,
    active: DataTypes.BOOLEAN,
    role: DataTypes.ENUM('admin', 'user'),
    tenantId: DataTypes.INTEGER,
  },
  {
    sequelize,
    underscored: true,
    indexes: [{ fields: ['city'] }, { fields: ['tenantId', 'createdAt'] }],
  },
);

User.belongsTo(Team);
`;
const workspace = { 'src/models/user.ts': MODEL };
const HEAD = "import { Op } from 'sequelize';\nimport { User } from './models/user';\n\n";

ruleTests('unindexed-filter', {
  valid: [
    {
      name: 'the implicit id, unique, the first field of an indexes entry',
      file: 'src/users.ts',
      code: `${HEAD}export async function read(id: number, handle: string, city: string, tenantId: number) {\n  await User.findOne({ where: { id } });\n  await User.findOne({ where: { handle } });\n  await User.findAll({ where: { city }, limit: 10 });\n  return User.count({ where: { tenantId, name: 'x' } });\n}\n`,
      why: 'each has an index that starts with it',
      workspace,
    },
    {
      name: 'a boolean, an enum, the key belongsTo adds, Op.or, Op.like',
      file: 'src/users.ts',
      code: `${HEAD}export async function read(q: string, team: number) {\n  await User.findAll({ where: { active: true, role: 'admin' } });\n  await User.findAll({ where: { TeamId: team } });\n  await User.findAll({ where: { [Op.or]: [{ email: q }, { name: q }] } });\n  return User.findAll({ where: { name: { [Op.like]: q } } });\n}\n`,
      why: 'few values; the foreign key is unindexed-foreign-key\'s; conditions not read here; no plain index serves LIKE',
      workspace,
    },
    {
      name: 'an index a migration adds to the table, by its column name',
      file: 'src/users.ts',
      code: `${HEAD}export const byEmail = (email: string) => User.findOne({ where: { email } });\n`,
      why: "queryInterface.addIndex('users', ['email'])",
      workspace: { ...workspace, 'migrations/20240101000000-users-email.js': "module.exports = {\n  async up(queryInterface) {\n    await queryInterface.addIndex('users', ['email']);\n  },\n};\n" },
    },
  ],
  invalid: [
    {
      name: 'findOne by a plain attribute: an entry added to the indexes option',
      file: 'src/users.ts',
      code: `${HEAD}export const byEmail = (email: string) => User.findOne({ where: { email } });\n`,
      findings: [{ line: 4, message: /`User\.findOne` filters User by `email`, and no index of User starts with it.*Add `\{ fields: \['email'\] \}` to the `indexes` of model User in user\.ts \(`sequelize\.sync\(\)` makes it; with migrations, `queryInterface\.addIndex\('users', \['email'\]\)`/ }],
      otherFile: { path: 'src/models/user.ts', text: MODEL.replace("indexes: [{ fields: ['city'] }, { fields: ['tenantId', 'createdAt'] }],", "indexes: [{ fields: ['city'] }, { fields: ['tenantId', 'createdAt'] }, { fields: ['email'] }],") },
      workspace,
    },
    {
      name: 'update and destroy find their rows the same way; a range with Op.gte; an IN by array',
      file: 'src/users.ts',
      code: `${HEAD}export async function run(name: string, since: Date) {\n  await User.update({ active: false }, { where: { name, createdAt: { [Op.gte]: since } } });\n  await User.destroy({ where: { email: [name] } });\n}\n`,
      findings: [{ line: 5, message: /filters User by `name`, `createdAt`.*`\{ fields: \['name', 'createdAt'\] \}`.*`queryInterface\.addIndex\('users', \['name', 'created_at'\]\)`/ }, { line: 6, message: /filters User by `email`/ }],
      otherFile: { path: 'src/models/user.ts', text: MODEL.replace("indexes: [{ fields: ['city'] }, { fields: ['tenantId', 'createdAt'] }],", "indexes: [{ fields: ['city'] }, { fields: ['tenantId', 'createdAt'] }, { fields: ['name', 'createdAt'] }],") },
      workspace,
    },
  ],
});
