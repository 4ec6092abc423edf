// Drives the installed MoE Lab kernel exactly as JupyterLab does: JupyterLab's own client library
// (@jupyterlab/services, from npm) against a Jupyter server with the installed kernelspec. Every message received
// is checked with the package's validateMessage (JupyterLab drops a message that fails it). Prints MEASURE lines
// and OK; any failed check exits non-zero. Env: JUPYTER_URL, JUPYTER_TOKEN; NODE_PATH points at the npm install.
'use strict';
const { ServerConnection, KernelManager, SessionManager } = require('@jupyterlab/services');
const { validateMessage } = require('@jupyterlab/services/lib/kernel/validate');

const baseUrl = process.env.JUPYTER_URL;
const token = process.env.JUPYTER_TOKEN;
const problems = [];
const counts = { received: 0, sent: 0, byType: {} };
const consoleError = console.error;
console.error = (...args) => {
  problems.push('console.error: ' + args.map(a => (a && a.message) || String(a)).join(' '));
  consoleError(...args);
};

function check(condition, what) {
  if (!condition) {
    throw new Error('check failed: ' + what);
  }
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

async function execute(kernel, code, options = {}) {
  const messages = [];
  const future = kernel.requestExecute({ code, stop_on_error: true, ...options });
  future.onIOPub = msg => messages.push(msg);
  const reply = await future.done;
  return { reply: reply.content, messages };
}

function dataOf(messages, mime) {
  return messages.filter(m => ['execute_result', 'display_data', 'update_display_data'].includes(m.header.msg_type)
    && m.content.data[mime] !== undefined).map(m => m.content.data[mime]);
}

function textResult(messages) {
  const results = messages.filter(m => m.header.msg_type === 'execute_result');
  return results.length === 1 ? results[0].content.data['text/plain'] : undefined;
}

function traceback(messages) {
  return messages.filter(m => m.header.msg_type === 'error').map(m => m.content.traceback.join('\n')).join('\n');
}

async function main() {
  const started = Date.now();
  const serverSettings = ServerConnection.makeSettings({ baseUrl, wsUrl: baseUrl.replace(/^http/, 'ws'), token });
  const kernelManager = new KernelManager({ serverSettings });
  const sessionManager = new SessionManager({ kernelManager, serverSettings });
  await sessionManager.ready;
  const session = await sessionManager.startNew({
    path: 'conformance.ipynb', type: 'notebook', name: 'conformance.ipynb', kernel: { name: 'moelab-java' }
  });
  const kernel = session.kernel;
  kernel.anyMessage.connect((_, { msg, direction }) => {
    if (direction === 'send') {
      counts.sent++;
      return;
    }
    counts.received++;
    counts.byType[msg.header.msg_type] = (counts.byType[msg.header.msg_type] || 0) + 1;
    try {
      validateMessage(msg);
    } catch (e) {
      problems.push(`invalid ${msg.channel} ${msg.header.msg_type}: ${e.message}`);
    }
  });

  // JupyterLab waits for the kernel_info the connection asks for itself (KernelConnection.info), then uses the
  // kernel; that reply and an explicit one carry status ok.
  const connectInfo = await kernel.info;
  check(connectInfo.status === 'ok', JSON.stringify(connectInfo));
  const info = await kernel.requestKernelInfo();
  check(info.content.status === 'ok' && info.content.language_info.name === 'Java', JSON.stringify(info.content));

  // Execute: plain, multi-statement, a chart as PNG, %moe env (ND4J), %%moe with live updates.
  let r = await execute(kernel, 'int kept = 41;\nkept + 1');
  check(r.reply.status === 'ok' && textResult(r.messages) === '42', JSON.stringify(r.messages));
  const firstResult = (Date.now() - started) / 1000;
  r = await execute(kernel, '%moe env');
  check(r.reply.status === 'ok' && JSON.stringify(r.messages).includes('heap'), JSON.stringify(r.messages));
  const firstNd4j = (Date.now() - started) / 1000;
  console.log(`MEASURE session start to first result ${firstResult.toFixed(1)} s, to first ND4J result (%moe env) ${firstNd4j.toFixed(1)} s`);
  r = await execute(kernel, 'int a = 1; int b = 2;\nString joined = "" + a + b;\njoined + "!"');
  check(r.reply.status === 'ok' && textResult(r.messages) === '12!', JSON.stringify(r.messages));
  r = await execute(kernel, 'var chart = new XYChartBuilder().width(320).height(240).title("t").build();\n'
    + 'chart.addSeries("y", new double[] {1, 2, 3});\nchart');
  const png = dataOf(r.messages, 'image/png');
  check(r.reply.status === 'ok' && png.length === 1 && png[0].startsWith('iVBORw0KGgo'), 'a PNG chart');
  r = await execute(kernel, '%%moe\nrouter: topk\nexperts: 4\nk: 2\nhidden: 32\ndModel: 16\nheads: 2\nlayers: 1\n'
    + 'context: 16\nbatch: 4\nsteps: 6');
  const updates = r.messages.filter(m => m.header.msg_type === 'update_display_data').length;
  check(r.reply.status === 'ok' && updates >= 1, `%%moe with live updates (${updates} updates): ${traceback(r.messages)}`);
  check(dataOf(r.messages, 'text/html').some(html => html.includes('valid BPC')), 'the %%moe report');

  // Interrupt a loop that never checks for interrupts; state is kept.
  const busy = kernel.requestExecute({ code: 'long spins = 0; while (true) { spins++; }', stop_on_error: true });
  await sleep(2000);
  await kernel.interrupt();
  const interrupted = await busy.done;
  check(interrupted.content.status === 'error', 'the interrupted cell ends with an error');
  r = await execute(kernel, 'kept');
  check(textResult(r.messages) === '41', 'state kept after the interrupt');

  // Run All with an error in cell 2: cells 3 and 4 are answered aborted and do not run.
  const cells = ['int runAll = 1;', 'throw new IllegalStateException("cell 2");', 'runAll = 3;', 'runAll = 4;'];
  const futures = cells.map(code => kernel.requestExecute({ code, stop_on_error: true }));
  const statuses = [];
  for (const future of futures) {
    statuses.push((await future.done).content.status);
  }
  check(JSON.stringify(statuses) === JSON.stringify(['ok', 'error', 'aborted', 'aborted']), JSON.stringify(statuses));
  r = await execute(kernel, 'runAll');
  check(textResult(r.messages) === '1', 'cells after the error did not run');

  // complete, inspect, is_complete.
  let reply = await kernel.requestComplete({ code: 'kep', cursor_pos: 3 });
  check(reply.content.status === 'ok' && reply.content.matches.includes('kept'), JSON.stringify(reply.content));
  reply = await kernel.requestComplete({ code: '%mo', cursor_pos: 3 });
  check(reply.content.matches.includes('%moe'), JSON.stringify(reply.content));
  reply = await kernel.requestInspect({ code: 'Math.max(1, 2)', cursor_pos: 6, detail_level: 0 });
  check(reply.content.status === 'ok' && reply.content.found, JSON.stringify(reply.content));
  reply = await kernel.requestIsComplete({ code: 'for (int i = 0; i < 3; i++) {' });
  check(reply.content.status === 'incomplete', JSON.stringify(reply.content));

  // Comms: comm_info; a front-end comm to an unknown target is closed by the kernel; a registered one echoes.
  reply = await kernel.requestCommInfo({});
  check(reply.content.status === 'ok' && Object.keys(reply.content.comms).length === 0, JSON.stringify(reply.content));
  const orphan = kernel.createComm('nobody.here');
  let orphanClosed = false;
  orphan.onClose = () => { orphanClosed = true; };
  await orphan.open({}).done;
  check(orphanClosed || orphan.isDisposed, 'the kernel closed a comm for an unknown target');
  r = await execute(kernel, 'getKernelInstance().getCommManager().registerTarget("moelab.echo", (manager, id, target, msg) ->\n'
    + '    new io.github.spencerpark.jupyter.kernel.comm.Comm(manager, id, target) {\n'
    + '        protected void onMessage(io.github.spencerpark.jupyter.messages.Message<io.github.spencerpark.jupyter.messages.comm.CommMsgCommand> m) {\n'
    + '            send(m.getContent().getData());\n'
    + '        }\n'
    + '        protected void onClose(io.github.spencerpark.jupyter.messages.Message<io.github.spencerpark.jupyter.messages.comm.CommCloseCommand> m, boolean sending) {\n'
    + '        }\n'
    + '    });');
  check(r.reply.status === 'ok', traceback(r.messages));
  const echo = kernel.createComm('moelab.echo');
  const echoed = [];
  echo.onMsg = msg => { echoed.push(msg.content.data); };
  await echo.open({}).done;
  reply = await kernel.requestCommInfo({});
  check(reply.content.comms[echo.commId] && reply.content.comms[echo.commId].target_name === 'moelab.echo',
    JSON.stringify(reply.content));
  await echo.send({ ping: 1 }).done;
  check(echoed.length === 1 && echoed[0].ping === 1, JSON.stringify(echoed));
  await echo.close({}).done;
  reply = await kernel.requestCommInfo({});
  check(Object.keys(reply.content.comms).length === 0, JSON.stringify(reply.content));

  // Restart, then execute: the new kernel's messages (its status: starting first) must validate too.
  await kernel.restart();
  r = await execute(kernel, 'int afterRestart = 2;\nafterRestart * 21');
  check(r.reply.status === 'ok' && textResult(r.messages) === '42', JSON.stringify(r.messages));
  r = await execute(kernel, 'kept');
  check(r.reply.status === 'error', 'a restart starts from an empty state');

  await session.shutdown();
  const seconds = (Date.now() - started) / 1000;
  console.log(`MEASURE lab client: ${counts.received} messages received, ${counts.sent} sent, ${seconds.toFixed(1)} s; `
    + `by type ${JSON.stringify(counts.byType)}`);
  check(problems.length === 0, 'every message passed validation:\n' + problems.join('\n'));
  console.log('OK');
}

main().then(() => process.exit(0), error => {
  console.log(error && error.stack ? error.stack : String(error));
  console.log(problems.join('\n'));
  process.exit(1);
});
