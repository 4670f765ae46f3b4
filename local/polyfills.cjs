// aws-local-stepfunctions targets Node 22; Node 20 lacks Promise.withResolvers, which every Task uses.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers() {
    let resolve;
    let reject;
    const promise = new this((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

// The AWS SDK warns on every start that it will need Node 22 from 2027; the local runtime supports
// Node 20 on purpose (see README), so silence that one notice with the SDK's documented switch.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
