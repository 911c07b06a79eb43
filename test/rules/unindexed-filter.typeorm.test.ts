import { ruleTests } from '../harness/rule-tester';

const ENTITY = `import { Column, Entity, Index, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { Team } from './team.entity';

@Entity()
@Index(['tenantId', 'createdAt'])
@Unique(['slug'])
export class User {
  @PrimaryGeneratedColumn()
  id: number;

  @Column()
  email: string;

  @Column({ unique: true })
  handle: string;

  @Index()
  @Column()
  city: string;

  @Column()
  tenantId: number;

  @Column()
  slug: string;

  @Column()
  name: string;

  @Column({ default: true })
  active: boolean;

  @Column({ type: 'enum', enum: ['a', 'b'] })
  kind: string;

  @Column()
  createdAt: Date;

  @ManyToOne(() => Team)
  team: Team;

  @Column()
  teamId: number;
}
`;
const workspace = { 'src/user.entity.ts': ENTITY };
const HEAD = "import { In, Like, MoreThan } from 'typeorm';\nimport { AppDataSource } from './data-source';\nimport { User } from './user.entity';\n\nconst users = AppDataSource.getRepository(User);\n\n";

ruleTests('unindexed-filter', {
  valid: [
    {
      name: 'the primary column, unique, @Index() on the property, the first of a class @Index([...]) and @Unique([...])',
      file: 'src/users.ts',
      code: `${HEAD}export async function read(id: number, handle: string, city: string, tenantId: number, slug: string) {\n  await users.findOneBy({ id });\n  await users.findOneBy({ handle });\n  await users.find({ where: { city }, take: 10 });\n  await users.count({ where: { tenantId, name: 'x' } });\n  return users.findOne({ where: { slug } });\n}\n`,
      why: 'each has an index that starts with it',
      workspace,
    },
    {
      name: 'booleans, enums, a join column, Like and null, an OR array, a relation',
      file: 'src/users.ts',
      code: `${HEAD}export async function read(q: string, teamId: number) {\n  await users.findBy({ active: true, kind: 'a' });\n  await users.findBy({ teamId });\n  await users.find({ where: { name: Like(q) } });\n  await users.find({ where: [{ email: q }, { handle: q }] });\n  return users.find({ where: { email: q, team: { id: teamId } } });\n}\n`,
      why: 'few values; the join column is unindexed-foreign-key\'s; no plain index serves LIKE; conditions not read here',
      workspace,
    },
  ],
  invalid: [
    {
      name: 'findOneBy by a plain column: @Index() added above the property',
      file: 'src/users.ts',
      code: `${HEAD}export const byEmail = (email: string) => users.findOneBy({ email });\n`,
      findings: [{ line: 7, message: /`users\.findOneBy` filters User by `email`, and no index of User starts with it.*Add `@Index\(\)` to `User\.email` in user\.entity\.ts, then generate its migration/ }],
      otherFile: { path: 'src/user.entity.ts', text: ENTITY.replace('  @Column()\n  email: string;', '  @Column()\n  @Index()\n  email: string;') },
      workspace,
    },
    {
      name: 'an injected repository (NestJS), find operators: equality then a range',
      file: 'src/users.service.ts',
      code: "import { Injectable } from '@nestjs/common';\nimport { InjectRepository } from '@nestjs/typeorm';\nimport { MoreThan, Repository } from 'typeorm';\nimport { User } from './user.entity';\n\n@Injectable()\nexport class UsersService {\n  constructor(@InjectRepository(User) private readonly usersRepository: Repository<User>) {}\n\n  recent(name: string, since: Date) {\n    return this.usersRepository.find({ where: { createdAt: MoreThan(since), name }, take: 20 });\n  }\n}\n",
      findings: [{ line: 11, message: /filters User by `createdAt`, `name`.*`@Index\(\)` to `User\.name`.*or `@Index\(\['name', 'createdAt'\]\)` on the class/ }],
      otherFile: { path: 'src/user.entity.ts', text: ENTITY.replace('  @Column()\n  name: string;', '  @Column()\n  @Index()\n  name: string;') },
      workspace,
    },
    {
      name: 'an entity file without Index in its import: the import gains it',
      file: 'src/users.ts',
      code: `${HEAD}export const byEmail = (email: string) => users.findOneBy({ email });\n`,
      findings: [{ line: 7 }],
      otherFile: {
        path: 'src/user.entity.ts',
        text: ENTITY.replace("import { Column, Entity, Index, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';", "import { Column, Entity, ManyToOne, PrimaryGeneratedColumn, Unique, Index } from 'typeorm';").replace('@Index([\'tenantId\', \'createdAt\'])\n', '').replace('  @Column()\n  email: string;', '  @Column()\n  @Index()\n  email: string;').replace('  @Index()\n  @Column()\n  city: string;', '  @Column({ unique: true })\n  city: string;'),
      },
      workspace: { 'src/user.entity.ts': ENTITY.replace("import { Column, Entity, Index, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';", "import { Column, Entity, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';").replace('@Index([\'tenantId\', \'createdAt\'])\n', '').replace('  @Index()\n  @Column()\n  city: string;', '  @Column({ unique: true })\n  city: string;') },
    },
  ],
});
