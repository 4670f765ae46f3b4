/** Builders for template tests: synthesize the app or a scratch stack fast (no bundling, nag optional). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { createApp, type OpsApp } from '../../lib/app';

/** Context that keeps NodejsFunction from running esbuild. */
export const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

export interface SynthesizedApp extends OpsApp {
  readonly data: Template;
  readonly workflows: Template;
  readonly monitoring: Template;
  readonly api: Template;
  readonly observability: Template;
}

/** The real app with extra context, without cdk-nag (nag has its own test). */
export function synthApp(context: Record<string, unknown> = {}): SynthesizedApp {
  const built = createApp({ context, skipBundling: true, nag: false });
  return {
    ...built,
    data: Template.fromStack(built.dataStack),
    workflows: Template.fromStack(built.workflowsStack),
    monitoring: Template.fromStack(built.monitoringStack),
    api: Template.fromStack(built.apiStack),
    observability: Template.fromStack(built.observabilityStack),
  };
}

/** An empty stack in an app that skips bundling, for construct tests. */
export function scratchStack(id = 'Scratch'): Stack {
  return new Stack(new App({ context: NO_BUNDLING }), id);
}

/** cdk-nag AwsSolutions findings under a scope, as `ruleId @ construct path` strings. */
export function nagFindings(scope: IConstruct): string[] {
  const report = new AwsSolutionsChecks().validateScope(scope);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => `${violation.ruleName} @ ${resource.constructPath}`),
  );
}

/** Writes a file into a fresh temp directory and returns its absolute path. */
export function tempFile(name: string, content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'rds-ops-test-')), name);
  writeFileSync(file, content);
  return file;
}
