// Validates Kubernetes objects (a JSON array on stdin) against the OpenAPI schemas of kubernetes-models and,
// when installed, @kubernetes-models/prometheus-operator and @kubernetes-models/keda. Prints a JSON array:
// { kind, name, status: "valid" | "invalid" | "unchecked", errors? } per object.
// A separate process because these packages are ES modules only, which Jest's CommonJS runtime cannot load.
const packages = ['kubernetes-models', '@kubernetes-models/prometheus-operator', '@kubernetes-models/keda'];

async function modelFor(apiVersion, kind) {
  for (const pkg of packages) {
    try {
      const mod = await import(`${pkg}/${apiVersion}`);
      if (typeof mod[kind] === 'function') return mod[kind];
    } catch {
      // not this package (or not installed)
    }
  }
  return null;
}

let input = '';
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const object of JSON.parse(input)) {
  const { apiVersion, kind } = object;
  const name = object.metadata?.name;
  const Model = await modelFor(apiVersion, kind);
  if (!Model) {
    results.push({ kind, name, status: 'unchecked' });
    continue;
  }
  try {
    new Model(object).validate();
    results.push({ kind, name, status: 'valid' });
  } catch (error) {
    results.push({ kind, name, status: 'invalid', errors: String(error?.message ?? error) });
  }
}
process.stdout.write(JSON.stringify(results));
