/** Errors reading the synthesized app. */

export class TemplateReadError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TemplateReadError';
  }
}

/** An intrinsic function the local runtime cannot resolve to a local value. */
export class UnresolvableIntrinsicError extends TemplateReadError {
  constructor(
    readonly where: string,
    readonly intrinsic: unknown,
  ) {
    super(
      `${where}: cannot resolve ${JSON.stringify(intrinsic).slice(0, 160)} locally. ` +
        'Supported: Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split, Fn::ImportValue and pseudo parameters.',
    );
    this.name = 'UnresolvableIntrinsicError';
  }
}
