/**
 * STS `GetCallerIdentity` on the local service. STS speaks the AWS Query protocol (a form-encoded POST, an
 * XML answer), not JSON, so it is recognised by its `Action` rather than by `X-Amz-Target`. The local caller
 * is an IAM user of the local account named after the access key id the request was signed with
 * (`AWS_ACCESS_KEY_ID=local` -> `arn:aws:iam::000000000000:user/local`), so each operator can sign as themself.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';

const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
const USER_NAME = /^[\w+=,.@-]{1,64}$/;

/** The Query action of a form-encoded request body, or undefined when the request is not a Query call. */
export function queryActionOf(headers: IncomingHttpHeaders, body: Buffer): URLSearchParams | undefined {
  const contentType = String(headers['content-type'] ?? '');
  if (!contentType.startsWith('application/x-www-form-urlencoded')) return undefined;
  const params = new URLSearchParams(body.toString('utf8'));
  return params.has('Action') ? params : undefined;
}

export function answerQuery(
  params: URLSearchParams,
  headers: IncomingHttpHeaders,
  account: string,
  res: ServerResponse,
): void {
  const requestId = randomUUID();
  const action = params.get('Action');
  if (action !== 'GetCallerIdentity') {
    sendXml(
      res,
      400,
      `<ErrorResponse xmlns="${STS_NAMESPACE}"><Error><Type>Sender</Type><Code>InvalidAction</Code>` +
        `<Message>The local service answers only the STS action GetCallerIdentity, not ${escapeXml(String(action))}.</Message>` +
        `</Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
    );
    return;
  }
  const user = callerName(headers);
  sendXml(
    res,
    200,
    `<GetCallerIdentityResponse xmlns="${STS_NAMESPACE}"><GetCallerIdentityResult>` +
      `<Arn>arn:aws:iam::${account}:user/${escapeXml(user)}</Arn>` +
      `<UserId>AIDALOCAL${escapeXml(user.toUpperCase())}</UserId>` +
      `<Account>${account}</Account>` +
      `</GetCallerIdentityResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>` +
      '</GetCallerIdentityResponse>',
  );
}

/**
 * The local caller's name: the access key id of a SigV4 `Authorization` header (`Credential=KEY/date/...`), else
 * `local`. The operations API takes its caller's identity the same way.
 */
export function callerName(headers: IncomingHttpHeaders): string {
  const key = /Credential=([^/,\s]+)\//.exec(String(headers.authorization ?? ''))?.[1];
  return key && USER_NAME.test(key) ? key : 'local';
}

function sendXml(res: ServerResponse, statusCode: number, xml: string): void {
  if (res.destroyed || res.headersSent) return;
  const payload = Buffer.from(xml, 'utf8');
  res.writeHead(statusCode, { 'Content-Type': 'text/xml', 'Content-Length': payload.length });
  res.end(payload);
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (character) => `&#${character.charCodeAt(0)};`);
}
