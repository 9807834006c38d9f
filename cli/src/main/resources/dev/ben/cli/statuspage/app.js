// Ben status page: renders the embedded snapshot at once, then polls /api/snapshot every second.
// Everything is rendered with textContent (error texts come from receivers' responses: never innerHTML).
(function () {
  'use strict';
  var POLL_MS = 1000;
  var previous = {};
  // tenant filter: '' = all, '-' = tenant-less, else a tenant id (kept in the page URL's ?tenant=)
  var tenant = new URLSearchParams(window.location.search).get('tenant') || '';

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function cell(row, text, cls) {
    var td = el('td', cls, text);
    row.appendChild(td);
    return td;
  }

  function ago(iso, now) {
    if (!iso) { return ''; }
    var s = Math.round((Date.parse(iso) - Date.parse(now)) / 1000);
    var abs = Math.abs(s);
    var t = abs < 120 ? abs + 's' : abs < 7200 ? Math.round(abs / 60) + 'm' : Math.round(abs / 3600) + 'h';
    return s >= 0 ? 'in ' + t : t + ' ago';
  }

  function renderCounts(snapshot) {
    var box = document.getElementById('counts');
    box.textContent = '';
    Object.keys(snapshot.counts).forEach(function (status) {
      var c = el('div', 'count');
      c.setAttribute('data-status', status);
      c.appendChild(el('b', null, snapshot.counts[status]));
      c.appendChild(el('span', 'status ' + status, status));
      box.appendChild(c);
    });
  }

  function renderEndpoints(snapshot) {
    var body = document.querySelector('#endpoints tbody');
    body.textContent = '';
    snapshot.endpoints.forEach(function (e) {
      var tr = el('tr');
      tr.setAttribute('data-endpoint-id', e.endpointId);
      tr.setAttribute('data-health', e.health);
      tr.setAttribute('data-tenant', e.tenantId || '');
      tr.setAttribute('data-circuit', e.circuit);
      cell(tr, e.endpointId, 'id');
      cell(tr, e.tenantId || '-');
      cell(tr, e.health, 'health ' + e.health);
      cell(tr, e.circuit === 'CLOSED' ? 'closed' : e.circuit.toLowerCase().replace('_', '-') + ' until ' + e.circuitRetryAt,
        'circuit ' + e.circuit.toLowerCase());
      cell(tr, e.url);
      cell(tr, e.eventTypes.join(', '));
      cell(tr, e.counts.DELIVERED || 0);
      cell(tr, (e.counts.RETRYING || 0) + (e.counts.PENDING || 0));
      cell(tr, e.counts.FAILED || 0);
      cell(tr, e.enabled ? (e.failingSince ? 'failing since ' + e.failingSince : '') : e.disabledReason, 'error');
      body.appendChild(tr);
    });
    Object.keys(snapshot.malformedEndpoints || {}).forEach(function (id) {
      var tr = el('tr');
      cell(tr, id, 'id');
      cell(tr, 'malformed', 'health disabled');
      var td = cell(tr, snapshot.malformedEndpoints[id], 'error');
      td.colSpan = 8;
      body.appendChild(tr);
    });
  }

  function timeline(d, now) {
    var box = el('div', 'timeline');
    (d.timeline || []).forEach(function (a) {
      var ok = !a.error;
      var label = '#' + a.attempt + ' ' + (a.statusCode ? a.statusCode : 'no response') + ' · ' + a.latencyMs + 'ms';
      var span = el('span', 'attempt ' + (ok ? 'ok' : 'fail'), label);
      span.title = a.at + (ok ? '' : ' — ' + a.error);
      span.setAttribute('data-attempt', a.attempt);
      box.appendChild(span);
    });
    if (d.nextAttemptAt) {
      var next = el('span', 'next', 'next ' + ago(d.nextAttemptAt, now));
      next.title = d.nextAttemptAt;
      box.appendChild(next);
    }
    if (!d.timeline) {
      box.appendChild(el('span', 'legend', d.attempts + ' attempts (older: timeline not loaded)'));
    }
    return box;
  }

  function renderDeliveries(snapshot) {
    var body = document.querySelector('#deliveries tbody');
    body.textContent = '';
    var seen = {};
    snapshot.deliveries.forEach(function (d) {
      var tr = el('tr');
      tr.setAttribute('data-delivery-id', d.deliveryId);
      tr.setAttribute('data-status', d.status);
      tr.setAttribute('data-tenant', d.tenantId || '');
      if (previous[d.deliveryId] && previous[d.deliveryId] !== d.status) { tr.className = 'changed'; }
      seen[d.deliveryId] = d.status;
      cell(tr, d.deliveryId, 'id').title = 'event ' + d.eventId + (d.entityId ? ', entity ' + d.entityId : '');
      var st = cell(tr, '');
      st.appendChild(el('span', 'status ' + d.status, d.status));
      cell(tr, d.tenantId || '-');
      cell(tr, d.endpointId, 'id');
      cell(tr, d.eventType);
      cell(tr, d.attempts);
      cell(tr, '').appendChild(timeline(d, snapshot.generatedAt));
      cell(tr, d.lastError || '', 'error');
      body.appendChild(tr);
    });
    previous = seen;
  }

  function renderTenants(snapshot) {
    var select = document.getElementById('tenant');
    var wanted = [''].concat((snapshot.tenants || []).map(function (t) { return t === '' ? '-' : t; }));
    if (wanted.indexOf(tenant) < 0) { wanted.push(tenant); }
    var have = Array.prototype.map.call(select.options, function (o) { return o.value; });
    if (have.join('\n') !== wanted.join('\n')) {
      select.textContent = '';
      wanted.forEach(function (t) {
        var o = el('option', null, t === '' ? 'all tenants' : t === '-' ? '(no tenant)' : t);
        o.value = t;
        select.appendChild(o);
      });
    }
    select.value = tenant;
  }

  function render(snapshot) {
    renderTenants(snapshot);
    renderCounts(snapshot);
    renderEndpoints(snapshot);
    renderDeliveries(snapshot);
    var meta = document.getElementById('meta');
    meta.className = '';
    meta.textContent = snapshot.total + ' deliveries' + (snapshot.truncated ? ' (first ' + snapshot.total + ' read)' : '')
      + ' · updated ' + snapshot.generatedAt + ' · refreshes every second';
    document.body.setAttribute('data-generated-at', snapshot.generatedAt);
  }

  function poll() {
    fetch('/api/snapshot' + (tenant ? '?tenant=' + encodeURIComponent(tenant) : ''), { cache: 'no-store' })
      .then(function (r) { if (!r.ok) { throw new Error('HTTP ' + r.status); } return r.json(); })
      .then(render)
      .catch(function (e) {
        var meta = document.getElementById('meta');
        meta.className = 'stale';
        meta.textContent = 'cannot refresh (' + e.message + '); retrying…';
      })
      .then(function () { setTimeout(poll, POLL_MS); });
  }

  document.getElementById('tenant').addEventListener('change', function (e) {
    tenant = e.target.value;
    history.replaceState(null, '', tenant ? '?tenant=' + encodeURIComponent(tenant) : '/');
  });

  var embedded = document.getElementById('snapshot');
  if (embedded) { render(JSON.parse(embedded.textContent)); }
  setTimeout(poll, POLL_MS);
})();
