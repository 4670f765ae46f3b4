/**
 * The part of CloudWatch metric math the app's alarms use: numbers, query ids, `+ - * /`, unary minus,
 * parentheses, `FILL(series, value)`, `ABS(series)` and `MAX`/`MIN`/`SUM`/`AVG` of series (`MAX([a, b])` or
 * `MAX(a, b)`), evaluated point by point over aligned periods. A missing point stays missing through arithmetic
 * (CloudWatch drops timestamps a series lacks) until `FILL` supplies a value.
 */
import { UnsupportedMetricMathError } from './errors';

/** One value per evaluated period, oldest first; `undefined` where the series has no datapoint. */
export type Series = readonly (number | undefined)[];

type Node =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'id'; readonly id: string }
  | { readonly kind: 'negate'; readonly operand: Node }
  | { readonly kind: 'binary'; readonly operator: '+' | '-' | '*' | '/'; readonly left: Node; readonly right: Node }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Node[] }
  | { readonly kind: 'list'; readonly items: readonly Node[] };

export interface MetricExpression {
  readonly text: string;
  /** The query ids the expression reads. */
  readonly ids: readonly string[];
  evaluate(series: Readonly<Record<string, Series>>, length: number): Series;
}

const FUNCTIONS = new Set(['FILL', 'ABS', 'MAX', 'MIN', 'SUM', 'AVG']);

/** Parses an expression; throws UnsupportedMetricMathError naming what is not supported locally. */
export function parseMetricExpression(text: string): MetricExpression {
  const tokens = tokenize(text);
  let position = 0;
  const peek = () => tokens[position];
  const take = (expected?: string) => {
    const token = tokens[position++];
    if (token === undefined || (expected !== undefined && token !== expected)) {
      throw new UnsupportedMetricMathError(text, `expected ${expected ?? 'more'} at token ${position}`);
    }
    return token;
  };

  const expression = (): Node => {
    let node = term();
    while (peek() === '+' || peek() === '-') {
      const operator = take() as '+' | '-';
      node = { kind: 'binary', operator, left: node, right: term() };
    }
    return node;
  };
  const term = (): Node => {
    let node = factor();
    while (peek() === '*' || peek() === '/') {
      const operator = take() as '*' | '/';
      node = { kind: 'binary', operator, left: node, right: factor() };
    }
    return node;
  };
  const factor = (): Node => {
    const token = take();
    if (token === '-') return { kind: 'negate', operand: factor() };
    if (token === '(') {
      const inner = expression();
      take(')');
      return inner;
    }
    if (token === '[') return { kind: 'list', items: commaSeparated(']') };
    if (/^\d/.test(token)) return { kind: 'number', value: Number(token) };
    if (peek() === '(') {
      const name = token.toUpperCase();
      if (!FUNCTIONS.has(name)) throw new UnsupportedMetricMathError(text, `function ${token} is not supported`);
      take('(');
      return { kind: 'call', name, args: commaSeparated(')') };
    }
    if (/^[a-z][a-zA-Z0-9_]*$/.test(token)) return { kind: 'id', id: token };
    throw new UnsupportedMetricMathError(text, `unexpected "${token}"`);
  };
  const commaSeparated = (closing: string): Node[] => {
    const items: Node[] = [];
    if (peek() === closing) {
      take(closing);
      return items;
    }
    for (;;) {
      items.push(expression());
      const next = take();
      if (next === closing) return items;
      if (next !== ',') throw new UnsupportedMetricMathError(text, `expected "," or "${closing}", got "${next}"`);
    }
  };

  const root = expression();
  if (position !== tokens.length) throw new UnsupportedMetricMathError(text, `unexpected "${tokens[position]}"`);
  return { text, ids: [...new Set(idsOf(root))], evaluate: (series, length) => evaluate(root, series, length, text) };
}

/** Numbers, names and punctuation; any other character becomes a token of its own, which the parser refuses. */
function tokenize(text: string): string[] {
  return text.match(/\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|[A-Za-z_][A-Za-z0-9_]*|\S/g) ?? [];
}

function idsOf(node: Node): string[] {
  switch (node.kind) {
    case 'id':
      return [node.id];
    case 'negate':
      return idsOf(node.operand);
    case 'binary':
      return [...idsOf(node.left), ...idsOf(node.right)];
    case 'call':
      return node.args.flatMap(idsOf);
    case 'list':
      return node.items.flatMap(idsOf);
    default:
      return [];
  }
}

function evaluate(node: Node, series: Readonly<Record<string, Series>>, length: number, text: string): Series {
  const constant = (value: number): Series => Array.from({ length }, () => value);
  const pointwise = (values: readonly Series[], combine: (points: number[]) => number | undefined): Series =>
    Array.from({ length }, (_, index) => {
      const points = values.map((value) => value[index]);
      return points.some((point) => point === undefined) ? undefined : combine(points as number[]);
    });
  switch (node.kind) {
    case 'number':
      return constant(node.value);
    case 'id': {
      const found = series[node.id];
      if (!found) throw new UnsupportedMetricMathError(text, `no query with id "${node.id}"`);
      return found;
    }
    case 'negate':
      return pointwise([evaluate(node.operand, series, length, text)], ([value]) => -value!);
    case 'binary': {
      const operands = [node.left, node.right].map((operand) => evaluate(operand, series, length, text));
      return pointwise(operands, ([left, right]) => applyOperator(node.operator, left!, right!));
    }
    case 'list':
      throw new UnsupportedMetricMathError(text, 'a list is only allowed as the argument of MAX, MIN, SUM or AVG');
    case 'call':
      return callFunction(node, series, length, text);
  }
}

function callFunction(
  node: Extract<Node, { kind: 'call' }>,
  series: Readonly<Record<string, Series>>,
  length: number,
  text: string,
): Series {
  const args = node.args.flatMap((arg) => (arg.kind === 'list' ? arg.items : [arg]));
  const values = args.map((arg) => evaluate(arg, series, length, text));
  if (node.name === 'FILL') {
    if (node.args.length !== 2 || node.args[1].kind !== 'number') {
      throw new UnsupportedMetricMathError(
        text,
        'FILL takes a series and a number (REPEAT and LINEAR are not supported)',
      );
    }
    const fill = node.args[1].value;
    return values[0].map((point) => point ?? fill);
  }
  if (node.name === 'ABS') return values[0].map((point) => (point === undefined ? undefined : Math.abs(point)));
  // MAX, MIN, SUM, AVG across series: per period, over the series that have a point there.
  return Array.from({ length }, (_, index) => {
    const points = values.map((value) => value[index]).filter((point): point is number => point !== undefined);
    if (points.length === 0) return undefined;
    if (node.name === 'MAX') return Math.max(...points);
    if (node.name === 'MIN') return Math.min(...points);
    const sum = points.reduce((total, point) => total + point, 0);
    return node.name === 'SUM' ? sum : sum / points.length;
  });
}

function applyOperator(operator: '+' | '-' | '*' | '/', left: number, right: number): number | undefined {
  switch (operator) {
    case '+':
      return left + right;
    case '-':
      return left - right;
    case '*':
      return left * right;
    case '/':
      // CloudWatch drops a point divided by zero rather than reporting Infinity.
      return right === 0 ? undefined : left / right;
  }
}
