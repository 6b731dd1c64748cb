(function () {
  var list = document.getElementById('wg-list'), status = document.getElementById('wg-status'),
      title = document.getElementById('wg-title'), words = /*WORDS*/{}, base = {}, errors = 0, timer, said = '';
  if (!list) return;
  if (!window.fetch) { setTimeout(function () { location.reload(); }, 2000); return; }
  var url = list.getAttribute('data-wake');
  function s(ms) { return (ms / 1000).toFixed(1) + ' s'; }
  function say(text) { if (status && text !== said) { said = text; status.textContent = text; } }
  function rows() { return list.getElementsByTagName('li'); }
  function row(name) {
    var r = rows();
    for (var i = 0; i < r.length; i++) if (r[i].getAttribute('data-name') === name) return r[i];
    return null;
  }
  function tick() {
    var now = Date.now(), r = rows();
    for (var i = 0; i < r.length; i++) {
      var li = r[i], st = li.getAttribute('data-state'), b = base[li.getAttribute('data-name')],
          ex = +li.getAttribute('data-expected') || 0, t = li.querySelector('.wg-time');
      if (st === 'ready' || st === 'failed' || !t) continue;
      t.textContent = b == null ? (ex ? 'usually ' + s(ex) : '') : s(now - b) + (ex ? ' of about ' + s(ex) : '');
    }
  }
  function show(d) {
    var now = Date.now();
    for (var i = 0; i < d.containers.length; i++) {
      var c = d.containers[i], li = row(c.name);
      if (!li) continue;
      li.setAttribute('data-state', c.state);
      li.querySelector('.wg-state').textContent = words[c.state] || c.state;
      if (c.expected_ms) li.setAttribute('data-expected', c.expected_ms);
      if (c.elapsed_ms != null) base[c.name] = now - c.elapsed_ms; else delete base[c.name];
    }
    tick();
  }
  function poll() {
    fetch(url, { cache: 'no-store', headers: { Accept: 'application/json' } }).then(function (r) {
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.json();
    }).then(function (d) {
      errors = 0;
      show(d);
      if (d.ready) { say('Ready. Opening the page…'); location.reload(); return; }
      if (d.failed) {
        clearInterval(timer);
        if (title) title.textContent = 'Could not start';
        say((d.failed.container ? d.failed.container + ' could not start: ' : '') + d.failed.reason);
        return;
      }
      poll();
    }).catch(function () {
      if (++errors >= 5) { location.reload(); return; }
      setTimeout(poll, 1000);
    });
  }
  var r0 = rows(), t0 = Date.now();
  for (var i = 0; i < r0.length; i++) {
    var e = r0[i].getAttribute('data-elapsed');
    if (e != null) base[r0[i].getAttribute('data-name')] = t0 - e;
  }
  timer = setInterval(tick, 200);
  poll();
})();
