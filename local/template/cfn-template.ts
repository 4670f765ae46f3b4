/** The subset of the CloudFormation template format the local runtime reads. */

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
}

export interface CfnOutput {
  readonly Value: unknown;
  readonly Export?: { readonly Name: unknown };
}

export interface CfnTemplate {
  readonly Resources?: Record<string, CfnResource>;
  readonly Outputs?: Record<string, CfnOutput>;
  readonly Parameters?: Record<string, { readonly Default?: unknown }>;
}

export interface SynthesizedStack {
  readonly stackName: string;
  readonly template: CfnTemplate;
  /** The cloud assembly directory, when the app was synthesized with bundling: asset paths are relative to it. */
  readonly assemblyDir?: string;
}

/** Where the app pretends to live locally. */
export interface LocalEnvironment {
  readonly region: string;
  readonly account: string;
}

export const DEFAULT_LOCAL_ENVIRONMENT: LocalEnvironment = { region: 'us-east-1', account: '000000000000' };
