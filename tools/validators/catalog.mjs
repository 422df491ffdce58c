// Offline validation of Backstage catalog-info.yaml with @backstage/catalog-model's bundled schemas + kind validators
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
const tools = process.env.GOLDPATH_TOOLS || '/opt/goldpath-validators';
const req = createRequire(path.join(tools, 'npm', 'package.json'));
const yaml = req('js-yaml');
const cm = req('@backstage/catalog-model');
// Software Templates (kind: Template), as `scaffold export backstage` writes them.
const { templateEntityV1beta3Validator } = req('@backstage/plugin-scaffolder-common');
const validators = [cm.componentEntityV1alpha1Validator, cm.apiEntityV1alpha1Validator, cm.systemEntityV1alpha1Validator,
  cm.resourceEntityV1alpha1Validator, cm.groupEntityV1alpha1Validator, cm.userEntityV1alpha1Validator,
  cm.domainEntityV1alpha1Validator, cm.locationEntityV1alpha1Validator, templateEntityV1beta3Validator];
const policy = cm.EntityPolicies.allOf([new cm.DefaultNamespaceEntityPolicy(), new cm.FieldFormatEntityPolicy(), new cm.NoForeignRootFieldsEntityPolicy(), new cm.SchemaValidEntityPolicy()]);
// Backstage resolves $text/$json/$yaml placeholders before validation; mimic that (file must exist next to the yaml)

function resolvePlaceholders(node, base) {
  if (Array.isArray(node)) return node.map(n => resolvePlaceholders(n, base));
  if (node && typeof node === 'object') {
    const keys = Object.keys(node);
    if (keys.length === 1 && ['$text', '$json', '$yaml'].includes(keys[0])) {
      const target = path.resolve(base, node[keys[0]]);
      if (!/^[a-z]+:\/\//.test(node[keys[0]]) && !fs.existsSync(target)) throw new Error(`placeholder ${keys[0]} points to missing file ${node[keys[0]]}`);
      return keys[0] === '$text' ? 'resolved-placeholder' : {};
    }
    return Object.fromEntries(keys.map(k => [k, resolvePlaceholders(node[k], base)]));
  }
  return node;
}
let failed = 0;
for (const file of process.argv.slice(2)) {
  for (const doc of yaml.loadAll(fs.readFileSync(file, 'utf8'))) {
    if (!doc) continue;
    const id = `${doc.kind}:${doc.metadata?.name}`;
    try {
      const entity = await policy.enforce(resolvePlaceholders(doc, path.dirname(file)));
      let known = false;
      for (const v of validators) { if (await v.check(entity)) { known = true; break; } }
      if (!known) throw new Error(`unknown kind/apiVersion ${doc.apiVersion} ${doc.kind}`);
      console.log(`OK   ${file} ${id}`);
    } catch (e) { failed++; console.log(`FAIL ${file} ${id}: ${e.message}`); }
  }
}
process.exit(failed ? 1 : 0);
