/** unindexed-filter: the index each ORM's fix declares, and how the message asks for it. */
import type { ModelFact } from '../../languages/facts';

export type IndexedOrm = 'prisma' | 'django' | 'sqlalchemy' | 'typeorm' | 'mikro-orm' | 'drizzle' | 'mongoose' | 'sequelize' | 'peewee';

/** The index each ORM's fix declares (one field in Python), and what the message asks for. */
export function indexAdvice(orm: IndexedOrm, model: ModelFact, fields: string[], file: string): { fields: string[]; add: string; title: string } {
  if (orm === 'drizzle') {
    const shown = `index(…).on(${fields.map((f) => `table.${f}`).join(', ')})`;
    return { fields, add: `Add \`${shown}\` to the extra config of the ${model.name} table in ${file}, then generate its migration (\`drizzle-kit generate\`).`, title: `Add ${shown} to ${model.name} (${file})` };
  }
  if (orm === 'prisma') {
    return { fields, add: `Add \`@@index([${fields.join(', ')}])\` to model ${model.name} in ${file}, then create its migration (\`prisma migrate dev\`).`, title: `Add @@index([${fields.join(', ')}]) to model ${model.name} (${file})` };
  }
  const [first] = fields;
  if (orm === 'sequelize') {
    const entry = `{ fields: [${fields.map((f) => `'${f}'`).join(', ')}] }`;
    return { fields, add: `Add \`${entry}\` to the \`indexes\` of model ${model.name} in ${file} (\`sequelize.sync()\` makes it; with migrations, \`queryInterface.addIndex('${model.table ?? model.name}', [${fields.map((f) => `'${model.columns?.[f] ?? f}'`).join(', ')}])\` in a new one).`, title: `Add ${entry} to the indexes of ${model.name} (${file})` };
  }
  if (orm === 'mongoose') {
    const composite = fields.length > 1 ? `, or \`schema.index({ ${fields.map((f) => `${f}: 1`).join(', ')} })\` for all of them` : '';
    return { fields: [first], add: `Add \`index: true\` to the \`${first}\` field of the ${model.name} schema in ${file}${composite} (Mongoose builds its indexes at start-up unless \`autoIndex\` is off; then \`${model.name}.syncIndexes()\` or a migration does).`, title: `Index ${model.name}.${first} (index: true in ${file})` };
  }
  if (orm === 'typeorm') {
    const composite = fields.length > 1 ? `, or \`@Index([${fields.map((f) => `'${f}'`).join(', ')}])\` on the class for all of them` : '';
    return { fields: [first], add: `Add \`@Index()\` to \`${model.name}.${first}\` in ${file}, then generate its migration (\`typeorm migration:generate\`) unless \`synchronize\` makes it${composite}.`, title: `Add @Index() to ${model.name}.${first} (${file})` };
  }
  if (orm === 'mikro-orm') {
    const composite = fields.length > 1 ? `, or \`@Index({ properties: [${fields.map((f) => `'${f}'`).join(', ')}] })\` on the class for all of them` : '';
    return { fields: [first], add: `Add \`@Index()\` to \`${model.name}.${first}\` in ${file}, then create its migration (\`mikro-orm migration:create\`)${composite}.`, title: `Add @Index() to ${model.name}.${first} (${file})` };
  }
  const quoted = fields.map((f) => `"${f}"`).join(', ');
  if (orm === 'django') {
    const composite = fields.length > 1 ? `, or a \`models.Index(fields=[${quoted}])\` in its \`Meta.indexes\`` : '';
    return { fields: [first], add: `Add \`db_index=True\` to \`${model.name}.${first}\` in ${file}, then make its migration (\`python manage.py makemigrations\`)${composite}.`, title: `Index ${model.name}.${first} (db_index=True in ${file})` };
  }
  if (orm === 'peewee') {
    const composite = fields.length > 1 ? `, or \`((${quoted}), False)\` in its \`Meta.indexes\`` : '';
    return { fields: [first], add: `Add \`index=True\` to \`${model.name}.${first}\` in ${file} (\`create_tables()\` makes it on a new database; on one that exists, \`migrator.add_index\` of playhouse.migrate)${composite}.`, title: `Index ${model.name}.${first} (index=True in ${file})` };
  }
  const composite = fields.length > 1 ? `, or an \`Index(…, ${fields.map((f) => `${model.name}.${f}`).join(', ')})\` for all of them` : '';
  return { fields: [first], add: `Add \`index=True\` to \`${model.name}.${first}\` in ${file}, then make its migration (Alembic: \`alembic revision --autogenerate\`)${composite}.`, title: `Index ${model.name}.${first} (index=True in ${file})` };
}

