// PostGraphile 5 asks for Node 22; the benchmark machine has Node 20. These are the
// Node 22 built-ins its packages call.
if (typeof Promise.withResolvers !== "function") {
  Promise.withResolvers = function withResolvers() {
    let resolve;
    let reject;
    const promise = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}
if (typeof Array.fromAsync !== "function") {
  Array.fromAsync = async function fromAsync(iterable) {
    const out = [];
    for await (const item of iterable) out.push(item);
    return out;
  };
}
