/** unindexed-foreign-key in Sequelize models of a project that syncs its schema from them. */
import { ruleTests } from '../harness/rule-tester';

const CLASS_MODEL = (options: string, extra = ''): string =>
  `const { DataTypes, Model } = require('sequelize');\nconst sequelize = require('../db');\n\nclass Post extends Model {}\nPost.init({\n  title: DataTypes.STRING,${extra}\n}, ${options});\n\nPost.belongsTo(User, { as: 'author' });\n\nmodule.exports = Post;\n`;

ruleTests('unindexed-foreign-key', {
  valid: [
    {
      name: 'a join table whose second key a migration indexes, and a declared through model',
      file: 'models/index.js',
      workspace: { 'migrations/0002_post_tags.sql': 'CREATE INDEX post_tags_tag_id_idx ON "PostTags" ("TagId");\n' },
      code: "const { DataTypes, Model } = require('sequelize');\nconst sequelize = require('../db');\n\nclass Post extends Model {}\nPost.init({ title: DataTypes.STRING }, { sequelize, modelName: 'Post' });\nclass Tag extends Model {}\nTag.init({ name: DataTypes.STRING }, { sequelize, modelName: 'Tag' });\nconst Like = sequelize.define('Like', {}, { indexes: [{ fields: ['PostId'] }] });\n\nPost.belongsToMany(Tag, { through: 'PostTags' });\nPost.belongsToMany(Tag, { through: Like, as: 'likedTags' });\n",
      why: 'the migration indexes PostTags (TagId); a through model declares its own indexes',
    },
    {
      name: 'the model\'s indexes start with the key',
      file: 'models/post.js',
      code: CLASS_MODEL("{ sequelize, modelName: 'Post', indexes: [{ fields: ['authorId', 'createdAt'] }] }"),
      why: 'the index on (authorId, createdAt) serves lookups by authorId',
    },
    {
      name: 'a unique key attribute (one-to-one), an index named by its column on an underscored model',
      file: 'models/profile.js',
      code: "const { DataTypes } = require('sequelize');\nconst sequelize = require('../db');\n\nconst Profile = sequelize.define('Profile', {\n  userId: { type: DataTypes.INTEGER, unique: true },\n}, { underscored: true, indexes: [{ fields: ['editor_id'] }] });\n\nProfile.belongsTo(User);\nProfile.belongsTo(User, { as: 'editor' });\n",
      why: 'UNIQUE makes an index; the index on editor_id serves editorId',
    },
    {
      name: 'a table a migration creates, with its index',
      file: 'models/post.js',
      workspace: { 'migrations/20240101000000-create-post.js': "module.exports = {\n  async up(queryInterface, Sequelize) {\n    await queryInterface.createTable('Posts', { id: { type: Sequelize.INTEGER, primaryKey: true, autoIncrement: true }, authorId: { type: Sequelize.INTEGER, references: { model: 'Users', key: 'id' } } });\n    await queryInterface.addIndex('Posts', ['authorId']);\n  },\n};\n" },
      code: CLASS_MODEL("{ sequelize, modelName: 'Post' }"),
      why: 'the migrations make the table: their foreign keys and indexes are checked there',
    },
    {
      name: 'a hasMany only (the key is on the other model), and a MySQL project',
      file: 'models/user.js',
      workspace: { 'package.json': '{ "dependencies": { "sequelize": "^6", "mysql2": "^3" } }' },
      code: "const { DataTypes, Model } = require('sequelize');\nconst sequelize = require('../db');\n\nclass User extends Model {}\nUser.init({ email: DataTypes.STRING }, { sequelize });\nUser.hasMany(Post);\nclass Comment extends Model {}\nComment.init({ body: DataTypes.TEXT }, { sequelize });\nComment.belongsTo(User);\n",
      why: 'InnoDB indexes foreign keys; a hasMany is checked where the key\'s model belongs to',
    },
  ],
  invalid: [
    {
      name: 'a join table Sequelize makes: its primary key (PostId, TagId) does not serve TagId, reported at the association whose key that is',
      file: 'models/index.js',
      code: "const { DataTypes, Model } = require('sequelize');\nconst sequelize = require('../db');\n\nclass Post extends Model {}\nPost.init({ title: DataTypes.STRING }, { sequelize, modelName: 'Post' });\nclass Tag extends Model {}\nTag.init({ name: DataTypes.STRING }, { sequelize, modelName: 'Tag' });\n\nPost.belongsToMany(Tag, { through: 'PostTags' });\nTag.belongsToMany(Post, { through: 'PostTags' });\n",
      findings: [{ line: 10, message: /^The join table `PostTags` that Sequelize makes for `Tag\.belongsToMany\(Post\)` has the primary key \(PostId, TagId\), which serves lookups by PostId, not by TagId: loading a Tag's rows through it, and deleting a Tag .* Declare the join model with `indexes: \[\{ fields: \['TagId'\] \}\]` and pass it as `through`\.$/ }],
    },
    {
      name: 'belongsTo without an index: the fix adds the indexes option to the model\'s options (one per line)',
      file: 'models/post.js',
      code: CLASS_MODEL("{\n  sequelize,\n  modelName: 'Post',\n}"),
      findings: [{ line: 12, message: /^`Post\.belongsTo\(User\)` gives Posts the foreign key `authorId` without an index: Sequelize creates the foreign key, not an index.*Add `\{ fields: \['authorId'\] \}` to the model's `indexes`\.$/ }],
      output: CLASS_MODEL("{\n  sequelize,\n  modelName: 'Post',\n  indexes: [{ fields: ['authorId'] }],\n}"),
    },
    {
      name: 'an indexes list that lacks the key gets it; an underscored model names the column in snake case',
      file: 'models/post.js',
      code: CLASS_MODEL("{ sequelize, underscored: true, indexes: [{ fields: ['title'] }] }"),
      findings: [{ line: 9, message: /gives posts the foreign key `author_id` without an index/ }],
      output: CLASS_MODEL("{ sequelize, underscored: true, indexes: [{ fields: ['title'] }, { fields: ['authorId'] }] }"),
    },
    {
      name: 'sequelize.define without options, in a sequelize-cli associate(): the options are added; a foreignKey option names the key',
      file: 'models/comment.js',
      code: "module.exports = (sequelize, DataTypes) => {\n  const Comment = sequelize.define('Comment', { body: DataTypes.TEXT });\n  Comment.associate = (models) => {\n    Comment.belongsTo(models.Post, { foreignKey: 'postRef' });\n  };\n  return Comment;\n};\n",
      findings: [{ line: 4, message: /gives Comments the foreign key `postRef`/ }],
      output: "module.exports = (sequelize, DataTypes) => {\n  const Comment = sequelize.define('Comment', { body: DataTypes.TEXT }, { indexes: [{ fields: ['postRef'] }] });\n  Comment.associate = (models) => {\n    Comment.belongsTo(models.Post, { foreignKey: 'postRef' });\n  };\n  return Comment;\n};\n",
    },
    {
      name: 'a target defined in another file, no foreignKey or as: the key\'s default name depends on its model name, so advice only',
      file: 'models/post.js',
      code: "module.exports = (sequelize, DataTypes) => {\n  const Post = sequelize.define('Post', { title: DataTypes.STRING }, {});\n  Post.associate = (models) => {\n    Post.belongsTo(models.User);\n  };\n  return Post;\n};\n",
      findings: [{ line: 4, message: /gives Posts the foreign key `UserId` \(Sequelize's default name, after the model name of User, defined in another file\) without an index/ }],
    },
  ],
});
