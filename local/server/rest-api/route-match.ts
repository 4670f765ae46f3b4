/**
 * Which resource of a REST API takes a path, as API Gateway matches: segment by segment, a literal path part
 * before a `{param}`, a `{param}` before a greedy `{proxy+}`, backtracking when a branch ends nowhere. Path
 * parameters keep the text as sent (REST APIs hand Lambda the percent-encoded value).
 */

export interface RouteMatch {
  readonly resourcePath: string;
  readonly pathParameters: Readonly<Record<string, string>>;
}

interface Node {
  readonly literals: Map<string, Node>;
  param?: { readonly name: string; readonly node: Node };
  greedy?: { readonly name: string; readonly resourcePath: string };
  /** Set when a resource ends here. */
  resourcePath?: string;
}

const newNode = (): Node => ({ literals: new Map() });

export class ResourceTree {
  private readonly root = newNode();

  constructor(resourcePaths: Iterable<string>) {
    for (const path of resourcePaths) this.add(path);
  }

  /** The resource for `path` (after the stage, `/instances/db-a`), or undefined when none matches. */
  match(path: string): RouteMatch | undefined {
    const segments = path.split('/').filter((segment) => segment.length > 0);
    return matchFrom(this.root, segments, {});
  }

  private add(resourcePath: string): void {
    let node = this.root;
    const parts = resourcePath.split('/').filter((part) => part.length > 0);
    for (const part of parts) {
      const greedy = /^\{(\w+)\+\}$/.exec(part);
      if (greedy) {
        node.greedy = { name: greedy[1]!, resourcePath };
        return;
      }
      const param = /^\{(\w+)\}$/.exec(part);
      if (param) {
        node.param ??= { name: param[1]!, node: newNode() };
        node = node.param.node;
        continue;
      }
      let next = node.literals.get(part);
      if (!next) {
        next = newNode();
        node.literals.set(part, next);
      }
      node = next;
    }
    node.resourcePath = resourcePath === '' ? '/' : resourcePath;
  }
}

function matchFrom(
  node: Node,
  segments: readonly string[],
  parameters: Record<string, string>,
): RouteMatch | undefined {
  if (segments.length === 0) {
    return node.resourcePath ? { resourcePath: node.resourcePath, pathParameters: parameters } : undefined;
  }
  const [segment, ...rest] = segments as [string, ...string[]];
  const literal = node.literals.get(safeDecode(segment));
  const viaLiteral = literal && matchFrom(literal, rest, parameters);
  if (viaLiteral) return viaLiteral;
  const viaParam = node.param && matchFrom(node.param.node, rest, { ...parameters, [node.param.name]: segment });
  if (viaParam) return viaParam;
  if (node.greedy) {
    return {
      resourcePath: node.greedy.resourcePath,
      pathParameters: { ...parameters, [node.greedy.name]: segments.join('/') },
    };
  }
  return undefined;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
