/**
 * Lambda gives every function its own environment. In-process handlers share one `process.env`, so it is
 * replaced once by a view that, inside an invocation, shows that function's variables over the process's.
 * Module-load-time reads (a Logger reading POWERTOOLS_SERVICE_NAME) happen inside the scope too.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

type Environment = Readonly<Record<string, string>>;

const scope = new AsyncLocalStorage<Environment>();
let installed = false;

export function runWithEnvironment<T>(environment: Environment, work: () => T): T {
  installScopedEnvironment();
  return scope.run(environment, work);
}

function installScopedEnvironment(): void {
  if (installed) return;
  installed = true;
  const processEnv = process.env;
  const own = (key: string | symbol): key is string =>
    typeof key === 'string' && Object.hasOwn(scope.getStore() ?? {}, key);
  process.env = new Proxy(processEnv, {
    get: (target, key) => (own(key) ? scope.getStore()![key] : Reflect.get(target, key)),
    has: (target, key) => own(key) || Reflect.has(target, key),
    ownKeys: (target) => [...new Set([...Reflect.ownKeys(target), ...Object.keys(scope.getStore() ?? {})])],
    getOwnPropertyDescriptor: (target, key) =>
      own(key)
        ? { value: scope.getStore()![key], writable: true, enumerable: true, configurable: true }
        : Reflect.getOwnPropertyDescriptor(target, key),
  });
}
