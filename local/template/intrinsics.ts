/**
 * Resolves CloudFormation intrinsic functions to the values the local runtime uses: the same
 * references that deploy, pointed at local names and ARNs.
 */
import type { CfnResource, CfnTemplate, LocalEnvironment, SynthesizedStack } from './cfn-template';
import { UnresolvableIntrinsicError } from './errors';

interface ResourceRef {
  readonly stackName: string;
  readonly logicalId: string;
  readonly resource: CfnResource;
}

/** Local physical names and ARNs for every resource of every stack, plus cross-stack exports. */
export class LocalResourceNames {
  private readonly resources = new Map<string, ResourceRef>();
  private readonly exports = new Map<string, unknown>();
  private readonly exportStacks = new Map<string, string>();

  constructor(
    private readonly stacks: readonly SynthesizedStack[],
    readonly env: LocalEnvironment,
  ) {
    for (const { stackName, template } of stacks) {
      for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
        this.resources.set(key(stackName, logicalId), { stackName, logicalId, resource });
      }
    }
    for (const { stackName, template } of stacks) {
      for (const output of Object.values(template.Outputs ?? {})) {
        if (!output.Export) continue;
        const name = this.resolve(stackName, output.Export.Name, 'Outputs.Export.Name');
        this.exports.set(String(name), output.Value);
        this.exportStacks.set(String(name), stackName);
      }
    }
  }

  templateOf(stackName: string): CfnTemplate {
    const stack = this.stacks.find((candidate) => candidate.stackName === stackName);
    if (!stack) throw new UnresolvableIntrinsicError(stackName, 'unknown stack');
    return stack.template;
  }

  /** What `Ref` returns for a resource, locally. */
  physicalId(stackName: string, logicalId: string): string {
    const ref = this.find(stackName, logicalId);
    const name = this.nameOf(ref);
    switch (ref.resource.Type) {
      case 'AWS::StepFunctions::StateMachine':
      case 'AWS::SNS::Topic':
        return this.arnOf(ref);
      case 'AWS::SQS::Queue':
        return `http://sqs.${this.env.region}.localhost/${this.env.account}/${name}`;
      default:
        return name;
    }
  }

  /** What `Fn::GetAtt` returns, locally. */
  attribute(stackName: string, logicalId: string, attribute: string): string {
    const ref = this.find(stackName, logicalId);
    if (attribute === 'Arn' || attribute.endsWith('.Arn')) return this.arnOf(ref);
    if (NAME_ATTRIBUTES.has(attribute)) return this.nameOf(ref);
    if (attribute === 'StreamArn' || attribute === 'LatestStreamArn') return `${this.arnOf(ref)}/stream/local`;
    if (attribute === 'QueueUrl') return this.physicalId(stackName, logicalId);
    throw new UnresolvableIntrinsicError(`${stackName}/${logicalId}`, { 'Fn::GetAtt': [logicalId, attribute] });
  }

  /** The local physical name: the template's explicit name if any, else `<stack>-<logicalId>`. */
  nameOf(ref: ResourceRef): string {
    const explicit = EXPLICIT_NAME_PROPERTY[ref.resource.Type];
    const value = explicit ? ref.resource.Properties?.[explicit] : undefined;
    if (value !== undefined) return String(this.resolve(ref.stackName, value, `${ref.logicalId}.${explicit}`));
    return `${ref.stackName}-${ref.logicalId}`.slice(0, GENERATED_NAME_MAX_LENGTH);
  }

  arnOf(ref: ResourceRef): string {
    const { region, account } = this.env;
    const name = this.nameOf(ref);
    switch (ref.resource.Type) {
      case 'AWS::DynamoDB::Table':
      case 'AWS::DynamoDB::GlobalTable':
        return `arn:aws:dynamodb:${region}:${account}:table/${name}`;
      case 'AWS::StepFunctions::StateMachine':
        return `arn:aws:states:${region}:${account}:stateMachine:${name}`;
      case 'AWS::Lambda::Function':
        return `arn:aws:lambda:${region}:${account}:function:${name}`;
      case 'AWS::SQS::Queue':
        return `arn:aws:sqs:${region}:${account}:${name}`;
      case 'AWS::SNS::Topic':
        return `arn:aws:sns:${region}:${account}:${name}`;
      case 'AWS::Events::EventBus':
        return `arn:aws:events:${region}:${account}:event-bus/${name}`;
      case 'AWS::Events::Rule':
        return `arn:aws:events:${region}:${account}:rule/${name}`;
      case 'AWS::IAM::Role':
        return `arn:aws:iam::${account}:role/${name}`;
      case 'AWS::Logs::LogGroup':
        return `arn:aws:logs:${region}:${account}:log-group:${name}:*`;
      case 'AWS::KMS::Key':
        return `arn:aws:kms:${region}:${account}:key/${ref.logicalId}`;
      case 'AWS::CloudWatch::Alarm':
        return `arn:aws:cloudwatch:${region}:${account}:alarm:${name}`;
      default:
        return `arn:aws:local:${region}:${account}:${ref.resource.Type}/${name}`;
    }
  }

  /** Resolves every intrinsic inside `value`, recursively; `Ref: AWS::NoValue` removes its key or item. */
  resolve(stackName: string, value: unknown, where: string): unknown {
    if (Array.isArray(value)) {
      return value
        .map((item, index) => this.resolve(stackName, item, `${where}[${index}]`))
        .filter((item) => item !== NO_VALUE);
    }
    if (!isObject(value)) return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
      return this.resolveIntrinsic(stackName, keys[0], value[keys[0]], where);
    }
    return Object.fromEntries(
      keys
        .map((k) => [k, this.resolve(stackName, value[k], `${where}.${k}`)])
        .filter(([, resolved]) => resolved !== NO_VALUE),
    );
  }

  private resolveIntrinsic(stackName: string, fn: string, arg: unknown, where: string): unknown {
    const resolved = (v: unknown) => this.resolve(stackName, v, where);
    switch (fn) {
      case 'Ref':
        return this.ref(stackName, String(arg), where);
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = Array.isArray(arg) ? arg : String(arg).split(/\.(.+)/);
        return this.attribute(stackName, String(logicalId), String(resolved(attribute)));
      }
      case 'Fn::Join': {
        const [separator, parts] = arg as [string, unknown[]];
        return (resolved(parts) as unknown[]).join(separator);
      }
      case 'Fn::Select': {
        const [index, list] = arg as [unknown, unknown];
        return (resolved(list) as unknown[])[Number(resolved(index))];
      }
      case 'Fn::Split': {
        const [separator, text] = arg as [string, unknown];
        return String(resolved(text)).split(separator);
      }
      case 'Fn::Sub':
        return this.sub(stackName, arg, where);
      case 'Fn::ImportValue': {
        const name = String(resolved(arg));
        if (!this.exports.has(name)) throw new UnresolvableIntrinsicError(where, { 'Fn::ImportValue': name });
        return this.resolve(this.exportStacks.get(name)!, this.exports.get(name), `export ${name}`);
      }
      default:
        throw new UnresolvableIntrinsicError(where, { [fn]: arg });
    }
  }

  private ref(stackName: string, name: string, where: string): unknown {
    const pseudo: Record<string, string> = {
      'AWS::Region': this.env.region,
      'AWS::AccountId': this.env.account,
      'AWS::Partition': 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': stackName,
      'AWS::StackId': `arn:aws:cloudformation:${this.env.region}:${this.env.account}:stack/${stackName}/local`,
    };
    if (name === 'AWS::NoValue') return NO_VALUE;
    if (name in pseudo) return pseudo[name];
    const parameter = this.templateOf(stackName).Parameters?.[name];
    if (parameter) {
      if (parameter.Default === undefined) throw new UnresolvableIntrinsicError(where, { Ref: name });
      return parameter.Default;
    }
    return this.physicalId(stackName, name);
  }

  private sub(stackName: string, arg: unknown, where: string): string {
    const [text, variables] = Array.isArray(arg) ? (arg as [string, Record<string, unknown>]) : [String(arg), {}];
    return text.replace(/\$\{([^}]+)\}/g, (_, expression: string) => {
      if (expression.startsWith('!')) return `\${${expression.slice(1)}}`;
      if (expression in variables) return String(this.resolve(stackName, variables[expression], where));
      const [logicalId, attribute] = expression.split(/\.(.+)/);
      return String(
        attribute ? this.attribute(stackName, logicalId, attribute) : this.ref(stackName, logicalId, where),
      );
    });
  }

  private find(stackName: string, logicalId: string): ResourceRef {
    const ref = this.resources.get(key(stackName, logicalId));
    if (!ref) throw new UnresolvableIntrinsicError(`${stackName}`, { Ref: logicalId });
    return ref;
  }
}

/** What `Ref: AWS::NoValue` resolves to: the key or list item holding it is removed. */
const NO_VALUE = Symbol('AWS::NoValue');

const NAME_ATTRIBUTES = new Set(['Name', 'TopicName', 'QueueName', 'StateMachineName', 'TableName']);

/** CloudFormation keeps generated names within the strictest service limit (EventBridge rules: 64). */
const GENERATED_NAME_MAX_LENGTH = 64;

const EXPLICIT_NAME_PROPERTY: Readonly<Record<string, string>> = {
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::DynamoDB::GlobalTable': 'TableName',
  'AWS::StepFunctions::StateMachine': 'StateMachineName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::Events::EventBus': 'Name',
  'AWS::Events::Rule': 'Name',
  'AWS::IAM::Role': 'RoleName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::CloudWatch::Alarm': 'AlarmName',
};

function key(stackName: string, logicalId: string): string {
  return `${stackName}/${logicalId}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
