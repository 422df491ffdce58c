// Validates every custom resource in rendered manifests against the JSON schema of its CRD,
// offline, with the models of @kubernetes-models (generated from the upstream CRDs).
// Core kinds are kubernetes-validate's job; a custom kind we have no schema for fails,
// so nothing slips through unchecked.
//
//   node crds.mjs manifests.yaml...        (GOLDPATH_TOOLS points at the install)
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const tools = process.env.GOLDPATH_TOOLS || '/opt/goldpath-validators';
const modules = path.join(tools, 'npm', 'node_modules');
const yaml = createRequire(path.join(tools, 'npm', 'package.json'))('js-yaml');

// API group -> the package holding its models.
const packages = {
  'monitoring.coreos.com': 'prometheus-operator',
  'gateway.networking.k8s.io': 'gateway-api',
  'gateway.envoyproxy.io': 'envoy-gateway',
  'keda.sh': 'keda',
  'external-secrets.io': 'external-secrets',
};
const core = /^(v1|apps\/v1|batch\/v1|policy\/v1|autoscaling\/v2|networking\.k8s\.io\/v1|rbac\.authorization\.k8s\.io\/v1)$/;

async function model(apiVersion, kind) {
  const [group, version] = apiVersion.split('/');
  const pkg = packages[group];
  if (!pkg) return null;
  const file = path.join(modules, '@kubernetes-models', pkg, group, version, `${kind}.js`);
  if (!fs.existsSync(file)) return null;
  const mod = await import(pathToFileURL(file).href);
  return mod[kind];
}

let failed = 0;
for (const file of process.argv.slice(2)) {
  for (const doc of yaml.loadAll(fs.readFileSync(file, 'utf8'))) {
    if (!doc || core.test(doc.apiVersion)) continue;
    const id = `${file}: ${doc.apiVersion} ${doc.kind}/${doc.metadata?.name}`;
    const Model = await model(doc.apiVersion, doc.kind);
    if (!Model) { failed++; console.log(`FAIL ${id}: no schema for this kind`); continue; }
    try { new Model(doc).validate(); console.log(`ok   ${id}`); }
    catch (e) { failed++; console.log(`FAIL ${id}: ${e.message}`); }
  }
}
process.exit(failed ? 1 : 0);
