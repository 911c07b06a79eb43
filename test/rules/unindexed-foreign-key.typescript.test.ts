import { ruleTests } from '../harness/rule-tester';

const HEAD = "import { Column, Entity, Index, JoinColumn, ManyToOne, OneToOne, PrimaryColumn, PrimaryGeneratedColumn, Unique } from 'typeorm';\nimport { User } from './user';\n\n";

ruleTests('unindexed-foreign-key', {
  valid: [
    {
      name: '@Index() on the relation, and a class @Index([...]) that starts with another one',
      file: 'post.entity.ts',
      code: `${HEAD}@Entity()\n@Index(['editor', 'createdAt'])\nexport class Post {\n  @PrimaryGeneratedColumn() id!: number;\n  @Index()\n  @ManyToOne(() => User) author!: User;\n  @ManyToOne(() => User) editor!: User;\n  @Column() createdAt!: Date;\n}\n`,
      why: 'both relations have an index that starts with their join column',
    },
    {
      name: 'an indexed column property mapped to the join column, and @Unique',
      file: 'post.entity.ts',
      code: `${HEAD}@Entity()\n@Unique(['reviewer', 'slug'])\nexport class Post {\n  @PrimaryGeneratedColumn() id!: number;\n  @Index() @Column({ name: 'author_id' }) authorId!: number;\n  @ManyToOne(() => User) @JoinColumn({ name: 'author_id' }) author!: User;\n  @ManyToOne(() => User) reviewer!: User;\n  @Column() slug!: string;\n}\n`,
      why: 'the index on author_id serves the relation; the unique constraint starts with reviewer',
    },
    {
      name: 'the first primary column of a join entity, and a one-to-one relation',
      file: 'post-tag.entity.ts',
      code: `${HEAD}@Entity()\nexport class PostTag {\n  @PrimaryColumn() postId!: number;\n  @PrimaryColumn() @Index() tagId!: number;\n  @ManyToOne(() => User) post!: User;\n  @ManyToOne(() => User) tag!: User;\n  @OneToOne(() => User) @JoinColumn() owner!: User;\n}\n`,
      why: 'the primary key serves postId, @Index tagId; a one-to-one join column is unique',
    },
    {
      name: 'a relation without a foreign key constraint',
      file: 'post.entity.ts',
      code: `${HEAD}@Entity()\nexport class Post {\n  @PrimaryGeneratedColumn() id!: number;\n  @ManyToOne(() => User, { createForeignKeyConstraints: false }) author!: User;\n}\n`,
      why: 'no foreign key for the database to check on delete',
    },
    {
      name: 'a workspace whose only database driver is MySQL\'s',
      file: 'post.entity.ts',
      workspace: { 'package.json': '{ "dependencies": { "typeorm": "^0.3.20", "mysql2": "^3.9.0" } }' },
      code: `${HEAD}@Entity()\nexport class Post {\n  @PrimaryGeneratedColumn() id!: number;\n  @ManyToOne(() => User) author!: User;\n}\n`,
      why: 'InnoDB indexes every foreign key on its own',
    },
  ],
  invalid: [
    {
      name: 'a many-to-one without an index: the fix adds @Index() above it',
      file: 'post.entity.ts',
      code: `${HEAD}@Entity()\nexport class Post {\n  @PrimaryGeneratedColumn() id!: number;\n\n  @ManyToOne(() => User, (user) => user.posts, { onDelete: 'CASCADE' })\n  author!: User;\n}\n`,
      findings: [{ line: 8, message: /^`Post\.author` \(join column `authorId`\) references User without an index: TypeORM does not index a many-to-one join column.*Add `@Index\(\)` to the relation/ }],
      output: `${HEAD}@Entity()\nexport class Post {\n  @PrimaryGeneratedColumn() id!: number;\n\n  @Index()\n  @ManyToOne(() => User, (user) => user.posts, { onDelete: 'CASCADE' })\n  author!: User;\n}\n`,
    },
    {
      name: 'a named join column, and Index imported by the fix',
      file: 'comment.entity.ts',
      code: "import { Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';\nimport { Post } from './post';\n\n@Entity()\nexport class Comment {\n  @PrimaryGeneratedColumn() id!: number;\n  @ManyToOne(() => Post) @JoinColumn({ name: 'post_id' }) post!: Post;\n}\n",
      findings: [{ line: 7, message: /`Comment\.post` \(join column `post_id`\) references Post/ }],
      output: "import { Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Index } from 'typeorm';\nimport { Post } from './post';\n\n@Entity()\nexport class Comment {\n  @PrimaryGeneratedColumn() id!: number;\n  @Index()\n  @ManyToOne(() => Post) @JoinColumn({ name: 'post_id' }) post!: Post;\n}\n",
    },
    {
      name: 'the second primary column does not serve its relation',
      file: 'post-tag.entity.ts',
      code: `${HEAD}@Entity()\nexport class PostTag {\n  @PrimaryColumn() postId!: number;\n  @PrimaryColumn() tagId!: number;\n  @ManyToOne(() => User) post!: User;\n  @ManyToOne(() => User) tag!: User;\n}\n`,
      findings: [{ line: 9, message: /`PostTag\.tag` \(join column `tagId`\)/ }],
      output: `${HEAD}@Entity()\nexport class PostTag {\n  @PrimaryColumn() postId!: number;\n  @PrimaryColumn() tagId!: number;\n  @ManyToOne(() => User) post!: User;\n  @Index()\n  @ManyToOne(() => User) tag!: User;\n}\n`,
    },
  ],
});
