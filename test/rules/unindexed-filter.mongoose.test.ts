import { ruleTests } from '../harness/rule-tester';

const MODEL = `import mongoose, { Schema } from 'mongoose';

const userSchema = new Schema(
  {
    email: String,
    handle: { type: String, unique: true },
    city: { type: String, index: true },
    name: { type: String, required: true },
    active: Boolean,
    role: { type: String, enum: ['admin', 'user'] },
    team: { type: Schema.Types.ObjectId, ref: 'Team' },
    tenant: Number,
  },
  { timestamps: true },
);
userSchema.index({ tenant: 1, createdAt: -1 });

export const User = mongoose.model('User', userSchema);
`;
const workspace = { 'src/models/user.ts': MODEL };
const HEAD = "import { User } from './models/user';\n\n";

ruleTests('unindexed-filter', {
  valid: [
    {
      name: '_id, unique, index: true, the first key of schema.index()',
      file: 'src/users.ts',
      code: `${HEAD}export async function read(id: string, handle: string, city: string, tenant: number) {\n  await User.findOne({ _id: id });\n  await User.findOne({ handle });\n  await User.find({ city }).limit(10);\n  return User.countDocuments({ tenant, name: 'x' });\n}\n`,
      why: 'each has an index that starts with it',
      workspace,
    },
    {
      name: 'a boolean, an enum, $or, $regex, a dotted path',
      file: 'src/users.ts',
      code: `${HEAD}export async function read(q: string) {\n  await User.find({ active: true, role: 'admin' });\n  await User.find({ $or: [{ email: q }, { name: q }] });\n  await User.find({ name: { $regex: q } });\n  return User.find({ 'profile.city': q });\n}\n`,
      why: 'few values; conditions not read here; no plain index serves a regex',
      workspace,
    },
  ],
  invalid: [
    {
      name: 'findOne by a plain field: the field gets index: true, its type kept',
      file: 'src/users.ts',
      code: `${HEAD}export const byEmail = (email: string) => User.findOne({ email });\n`,
      findings: [{ line: 3, message: /`User\.findOne` filters User by `email`, and no index of User starts with it: MongoDB reads every document of the User collection \(a COLLSCAN\).*Add `index: true` to the `email` field of the User schema in user\.ts/ }],
      otherFile: { path: 'src/models/user.ts', text: MODEL.replace('    email: String,\n', '    email: { type: String, index: true },\n') },
      workspace,
    },
    {
      name: 'a reference is not indexed by MongoDB; a range with $gte; an update by a field',
      file: 'src/users.ts',
      code: `${HEAD}export async function run(team: string, since: Date, name: string) {\n  await User.find({ team, updatedAt: { $gte: since } });\n  await User.updateMany({ name }, { $set: { active: false } });\n}\n`,
      findings: [{ line: 4, message: /filters User by `team`, `updatedAt`.*or `schema\.index\(\{ team: 1, updatedAt: 1 \}\)` for all of them/ }, { line: 5, message: /filters User by `name`/ }],
      otherFile: { path: 'src/models/user.ts', text: MODEL.replace("    team: { type: Schema.Types.ObjectId, ref: 'Team' },\n", "    team: { type: Schema.Types.ObjectId, ref: 'Team', index: true },\n") },
      workspace,
    },
  ],
});
