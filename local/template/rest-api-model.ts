/**
 * Reads an API Gateway REST API from the synthesized template: its resources (path parts up to the root), its
 * methods (authorization, API key, required parameters, the Lambda proxy integration's function ARN), the stage
 * (name and throttling per method), and the gateway responses. What `local serve` needs to answer as the
 * deployed API does, taken from the same template that deploys.
 */
import type { CfnResource, CfnTemplate } from './cfn-template';
import { TemplateReadError } from './errors';
import type { LocalResourceNames } from './intrinsics';

export interface ThrottleSetting {
  /** Requests per second the bucket refills with. */
  readonly rateLimit: number;
  /** The bucket's size. */
  readonly burstLimit: number;
}

export type RestIntegration =
  | { readonly type: 'AWS_PROXY'; readonly functionArn: string }
  | { readonly type: 'UNSUPPORTED'; readonly description: string };

export interface RestMethodModel {
  /** The resource's path template, `/instances/{id}` (`/` for the root). */
  readonly resourcePath: string;
  /** `GET`, `POST`, ..., or `ANY`. */
  readonly httpMethod: string;
  readonly authorizationType: string;
  readonly apiKeyRequired: boolean;
  /** Parameters a validator requires (`querystring`, `header`), when the method has a validator that checks them. */
  readonly requiredQuery: readonly string[];
  readonly requiredHeaders: readonly string[];
  readonly integration: RestIntegration;
}

export interface GatewayResponseModel {
  readonly statusCode?: string;
  /** Header values as the template maps them (`'application/json'` is a literal, `context.requestId` a variable). */
  readonly headers: Readonly<Record<string, string>>;
  readonly template?: string;
}

export interface RestApiModel {
  readonly stackName: string;
  readonly logicalId: string;
  readonly name: string;
  readonly stageName: string;
  readonly methods: readonly RestMethodModel[];
  /** Stage-wide default per method (`*` `/*`), if set. */
  readonly defaultThrottle?: ThrottleSetting;
  /** Per method: `POST /circuits/{name}/open`. */
  readonly methodThrottles: Readonly<Record<string, ThrottleSetting>>;
  readonly gatewayResponses: Readonly<Record<string, GatewayResponseModel>>;
}

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties are untyped JSON, read field by field below.
type Props = Record<string, any>;

/** The REST API `apiId` of one stack, with the resources, methods, stage and gateway responses that refer to it. */
export function readRestApi(
  stackName: string,
  apiId: string,
  template: CfnTemplate,
  names: LocalResourceNames,
): RestApiModel {
  const resources = Object.entries(template.Resources ?? {});
  const ofType = (type: string) => resources.filter(([, resource]) => resource.Type === type);
  const api = template.Resources![apiId]!;
  const belongs = ([, resource]: [string, CfnResource]) => refOf(resource.Properties?.RestApiId) === apiId;
  const paths = resourcePaths(apiId, ofType('AWS::ApiGateway::Resource').filter(belongs));
  const validators = new Map(
    ofType('AWS::ApiGateway::RequestValidator')
      .filter(belongs)
      .map(([id, resource]) => [id, resource.Properties?.ValidateRequestParameters === true]),
  );
  const stages = ofType('AWS::ApiGateway::Stage').filter(belongs);
  if (stages.length !== 1) {
    throw new TemplateReadError(`${stackName}/${apiId}: the local service serves a REST API with exactly one stage.`);
  }
  const stage = stages[0]![1].Properties as Props;
  const settings = (stage.MethodSettings as Props[] | undefined) ?? [];
  const throttleOf = (setting: Props): ThrottleSetting | undefined =>
    setting.ThrottlingRateLimit === undefined || setting.ThrottlingBurstLimit === undefined
      ? undefined
      : { rateLimit: Number(setting.ThrottlingRateLimit), burstLimit: Number(setting.ThrottlingBurstLimit) };
  const defaultSetting = settings.find((setting) => setting.HttpMethod === '*' && setting.ResourcePath === '/*');
  const defaultThrottle = defaultSetting && throttleOf(defaultSetting);
  return {
    stackName,
    logicalId: apiId,
    name: String(names.resolve(stackName, api.Properties?.Name ?? apiId, `${apiId}.Name`)),
    stageName: String(names.resolve(stackName, stage.StageName, `${apiId} stage`)),
    methods: ofType('AWS::ApiGateway::Method')
      .filter(belongs)
      .map(([id, method]) => readMethod(stackName, id, method.Properties as Props, paths, validators, names)),
    ...(defaultThrottle && { defaultThrottle }),
    methodThrottles: Object.fromEntries(
      settings.flatMap((setting) => {
        const throttle = throttleOf(setting);
        if (setting === defaultSetting || !throttle) return [];
        // `/~1circuits~1{name}~1open`: a leading slash, then the resource path with `/` as `~1` (JSON Pointer escaping).
        const path = String(setting.ResourcePath).slice(1).replaceAll('~1', '/').replaceAll('~0', '~');
        return [[`${setting.HttpMethod} ${path}`, throttle]];
      }),
    ),
    gatewayResponses: Object.fromEntries(
      ofType('AWS::ApiGateway::GatewayResponse')
        .filter(belongs)
        .map(([, response]) => {
          const props = response.Properties as Props;
          const headers = Object.fromEntries(
            Object.entries((props.ResponseParameters as Record<string, string> | undefined) ?? {}).map(
              ([key, value]) => [key.replace(/^gatewayresponse\.header\./, ''), String(value)],
            ),
          );
          const template = (props.ResponseTemplates as Record<string, string> | undefined)?.['application/json'];
          return [
            String(props.ResponseType),
            {
              ...(props.StatusCode && { statusCode: String(props.StatusCode) }),
              headers,
              ...(template && { template }),
            },
          ];
        }),
    ),
  };
}

function readMethod(
  stackName: string,
  logicalId: string,
  props: Props,
  paths: ReadonlyMap<string, string>,
  validators: ReadonlyMap<string, boolean>,
  names: LocalResourceNames,
): RestMethodModel {
  const resourceId = props.ResourceId;
  const resourcePath = isRoot(resourceId) ? '/' : paths.get(refOf(resourceId) ?? '');
  if (!resourcePath) throw new TemplateReadError(`${stackName}/${logicalId}: cannot find the method's resource.`);
  const checksParameters = validators.get(refOf(props.RequestValidatorId) ?? '') === true;
  const required = (where: string) =>
    checksParameters
      ? Object.entries((props.RequestParameters as Record<string, unknown> | undefined) ?? {})
          .filter(([key, value]) => key.startsWith(`method.request.${where}.`) && value === true)
          .map(([key]) => key.slice(`method.request.${where}.`.length))
      : [];
  return {
    resourcePath,
    httpMethod: String(props.HttpMethod),
    authorizationType: String(props.AuthorizationType ?? 'NONE'),
    apiKeyRequired: props.ApiKeyRequired === true,
    requiredQuery: required('querystring'),
    requiredHeaders: required('header'),
    integration: integrationOf(stackName, logicalId, props.Integration as Props | undefined, names),
  };
}

function integrationOf(
  stackName: string,
  logicalId: string,
  integration: Props | undefined,
  names: LocalResourceNames,
): RestIntegration {
  if (integration?.Type !== 'AWS_PROXY') {
    return { type: 'UNSUPPORTED', description: `${integration?.Type ?? 'no'} integration` };
  }
  const uri = String(names.resolve(stackName, integration.Uri, `${logicalId}.Integration.Uri`));
  const functionArn = /:lambda:path\/2015-03-31\/functions\/(arn:[^/]+)\/invocations$/.exec(uri)?.[1];
  if (!functionArn) return { type: 'UNSUPPORTED', description: `AWS_PROXY integration with ${uri}` };
  return { type: 'AWS_PROXY', functionArn };
}

/** `/circuits/{name}/open` for every resource, walking `ParentId` up to the API's root. */
function resourcePaths(apiId: string, resources: readonly [string, CfnResource][]): Map<string, string> {
  const byId = new Map(resources);
  const paths = new Map<string, string>();
  const pathOf = (id: string, seen: Set<string>): string => {
    const known = paths.get(id);
    if (known) return known;
    const props = byId.get(id)?.Properties as Props | undefined;
    if (!props || seen.has(id)) throw new TemplateReadError(`${apiId}: resource ${id} has no path to the root.`);
    seen.add(id);
    const parent = isRoot(props.ParentId) ? '' : pathOf(refOf(props.ParentId) ?? '', seen);
    const path = `${parent}/${props.PathPart}`;
    paths.set(id, path);
    return path;
  };
  for (const [id] of resources) pathOf(id, new Set());
  return paths;
}

function refOf(value: unknown): string | undefined {
  return typeof value === 'object' && value !== null && 'Ref' in value
    ? String((value as { Ref: unknown }).Ref)
    : undefined;
}

function isRoot(value: unknown): boolean {
  const getAtt = (value as { 'Fn::GetAtt'?: unknown[] } | undefined)?.['Fn::GetAtt'];
  return Array.isArray(getAtt) && getAtt[1] === 'RootResourceId';
}
