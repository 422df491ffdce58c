// Validates every custom resource in rendered manifests against its CRD, offline:
// the JSON schema of @kubernetes-models (generated from the upstream CRDs) for types
// and required fields, and, because those schemas let unknown fields through (the API
// server would silently drop them), the models' TypeScript declarations for field
// names: a misspelt field fails. Core kinds are kubernetes-validate's job; a custom
// kind we have no model for fails, so nothing slips through unchecked.
//
//   node crds.mjs manifests.yaml...        (GOLDPATH_TOOLS points at the install)
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const tools = process.env.GOLDPATH_TOOLS || '/opt/goldpath-validators';
const modules = path.join(tools, 'npm', 'node_modules');
const req = createRequire(path.join(tools, 'npm', 'package.json'));
const yaml = req('js-yaml');
const ts = req('typescript');

// API group -> the package holding its models.
const packages = {
  'monitoring.coreos.com': 'prometheus-operator',
  'gateway.networking.k8s.io': 'gateway-api',
  'gateway.envoyproxy.io': 'envoy-gateway',
  'keda.sh': 'keda',
  'external-secrets.io': 'external-secrets',
};
// The API versions each operator serves from the minimum release the golden paths
// document (docs/index.md, "Cluster requirements"): a schema that still ships an old
// version does not mean the cluster serves it (ESO stopped serving v1beta1 in v0.17.0,
// May 2025, while the models still ship it).
const served = {
  'external-secrets.io': { operator: 'External Secrets Operator >= 0.17.0', versions: ['v1'] },
  'monitoring.coreos.com': { operator: 'Prometheus Operator >= 0.68', versions: ['v1'] },
  'gateway.networking.k8s.io': { operator: 'Gateway API >= 1.1 (standard channel)', versions: ['v1'] },
  'gateway.envoyproxy.io': { operator: 'Envoy Gateway >= 1.4', versions: ['v1alpha1'] },
  'keda.sh': { operator: 'KEDA >= 2.15', versions: ['v1alpha1'] },
};
const core = /^(v1|apps\/v1|batch\/v1|policy\/v1|autoscaling\/v2|networking\.k8s\.io\/v1|rbac\.authorization\.k8s\.io\/v1)$/;

function modelFile(apiVersion, kind, ext) {
  const [group, version] = apiVersion.split('/');
  const pkg = packages[group];
  if (!pkg) return null;
  const file = path.join(modules, '@kubernetes-models', pkg, group, version, `${kind}${ext}`);
  return fs.existsSync(file) ? file : null;
}

const docs = [];
for (const file of process.argv.slice(2)) {
  for (const doc of yaml.loadAll(fs.readFileSync(file, 'utf8'))) {
    if (doc && !core.test(doc.apiVersion)) docs.push({ file, doc });
  }
}

// One TypeScript program over every kind's declarations, for the field names.
const declarations = [...new Set(docs.map(({ doc }) => modelFile(doc.apiVersion, doc.kind, '.d.ts')).filter(Boolean))];
const program = ts.createProgram(declarations, {
  module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
  noEmit: true, skipLibCheck: true, types: [],
});
const checker = program.getTypeChecker();

function interfaceType(file, name) {
  let found;
  ts.forEachChild(program.getSourceFile(file), (n) => {
    if (ts.isInterfaceDeclaration(n) && n.name.text === name) found = n;
  });
  return found && checker.getTypeAtLocation(found);
}

// Every field of `value` the declared `type` does not have, as dotted paths.
function unknownFields(value, type, at, out) {
  if (value === null || typeof value !== 'object' || !type) return;
  type = checker.getNonNullableType(type);
  if (type.isUnion()) {
    const objects = type.types.filter((t) => t.getProperties().length || t.getStringIndexType());
    if (objects.length !== 1) return;
    type = objects[0];
  }
  if (Array.isArray(value)) {
    const element = type.getNumberIndexType();
    value.forEach((v, i) => unknownFields(v, element, `${at}[${i}]`, out));
    return;
  }
  const index = type.getStringIndexType();
  const props = type.getProperties();
  if (!props.length && !index) return; // `any`, or a type we cannot see into
  for (const [key, v] of Object.entries(value)) {
    const prop = type.getProperty(key);
    if (prop) {
      unknownFields(v, checker.getTypeOfSymbolAtLocation(prop, prop.valueDeclaration), `${at}.${key}`, out);
    } else if (index) {
      unknownFields(v, index, `${at}.${key}`, out);
    } else {
      out.push(`${at}.${key}`);
    }
  }
}

let failed = 0;
for (const { file, doc } of docs) {
  const id = `${file}: ${doc.apiVersion} ${doc.kind}/${doc.metadata?.name}`;
  const [group, version] = doc.apiVersion.split('/');
  if (served[group] && !served[group].versions.includes(version)) {
    failed++;
    console.log(`FAIL ${id}: ${served[group].operator} serves ${group}/${served[group].versions.join(', ')}, not ${version}`);
    continue;
  }
  const js = modelFile(doc.apiVersion, doc.kind, '.js');
  if (!js) { failed++; console.log(`FAIL ${id}: no schema for this kind`); continue; }
  const Model = (await import(pathToFileURL(js).href))[doc.kind];
  const problems = [];
  try { new Model(doc).validate(); } catch (e) { problems.push(e.message); }
  const unknown = [];
  unknownFields(doc, interfaceType(modelFile(doc.apiVersion, doc.kind, '.d.ts'), `I${doc.kind}`), '', unknown);
  if (unknown.length) problems.push(`unknown field(s): ${unknown.map((u) => u.slice(1)).join(', ')}`);
  if (problems.length) { failed++; console.log(`FAIL ${id}: ${problems.join('; ')}`); }
  else console.log(`ok   ${id}`);
}
process.exit(failed ? 1 : 0);
