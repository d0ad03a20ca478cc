// trolley's web page: search, a product's prices at my stores and its history chart, my stores,
// and a basket split. Plain browser JavaScript against the read API; state in localStorage.
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const state = {
    stores: JSON.parse(localStorage.getItem('trolley.stores') || '[]'), // [{id, label}]
    basket: JSON.parse(localStorage.getItem('trolley.basket') || '[]'), // [{id, name, quantity}]
    product: null,
    chart: null,
    next: null,
    query: '',
  };
  const save = () => {
    localStorage.setItem('trolley.stores', JSON.stringify(state.stores));
    localStorage.setItem('trolley.basket', JSON.stringify(state.basket));
    $('store-count').textContent = String(state.stores.length);
    $('basket-count').textContent = String(state.basket.length);
  };

  async function api(path, init) {
    const response = await fetch(path, init);
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = new Error(body.error ? body.error.message : `The server answered ${response.status}.`);
      error.code = body.error ? body.error.code : String(response.status);
      error.status = response.status;
      throw error;
    }
    return body;
  }
  const showError = (error) => { $('error').textContent = error ? error.message : ''; };
  const el = (tag, props, children) => {
    const node = Object.assign(document.createElement(tag), props || {});
    for (const child of children || []) node.append(child);
    return node;
  };
  const storeLabel = (s) => `${s.company} ${s.name || s.code}${s.postcode ? ` (${s.postcode})` : ''}`;
  const storeIds = () => state.stores.map((s) => s.id).join(',');

  function show(view) {
    for (const id of ['view-search', 'view-product', 'view-stores', 'view-basket']) $(id).hidden = id !== view;
    showError(null);
  }

  // Search
  async function search(q, more) {
    show('view-search');
    if (!more) { $('results').replaceChildren(); state.next = null; state.query = q; }
    const params = new URLSearchParams({ q: state.query, limit: '20' });
    if (more && state.next) params.set('cursor', state.next);
    const page = await api(`/api/products?${params}`);
    for (const hit of page.items) {
      const link = el('a', { href: `#/product/${hit.id}`, textContent: hit.name });
      $('results').append(el('li', {}, [link, ` ${hit.brand || ''} ${hit.sizes.join(' ')}`]));
    }
    if (!more && page.items.length === 0) $('results').append(el('li', { textContent: `Nothing matches "${q}".` }));
    state.next = page.next;
    $('more').hidden = !page.next;
  }

  // Product
  async function product(id) {
    show('view-product');
    const p = await api(`/api/products/${id}`);
    state.product = p;
    $('add-status').textContent = '';
    $('product-name').textContent = p.name;
    $('product-meta').textContent = [p.brand, p.sizes.join(' '), p.barcode ? `barcode ${p.barcode}` : '', p.skus.map((s) => `${s.company} ${s.sku}`).join(', ')].filter(Boolean).join(' · ');
    const body = $('prices').querySelector('tbody');
    body.replaceChildren();
    $('history-store').replaceChildren();
    if (state.stores.length === 0) {
      $('prices-note').textContent = 'Pick your stores under "My stores" to see prices.';
      drawChart(null);
      return;
    }
    const prices = await api(`/api/products/${id}/prices?store_ids=${storeIds()}`);
    $('prices-note').textContent = prices.missing.length ? `${prices.missing.length} of your stores have no price for it.` : '';
    prices.prices.forEach((row, i) => {
      body.append(el('tr', { className: i === 0 ? 'cheapest' : '' }, [
        el('td', { textContent: storeLabel(row.store) }),
        el('td', { textContent: `$${row.price}${row.isOnSpecial ? ' (special)' : ''}` }),
        el('td', { textContent: row.unitPrice ? `$${Number(row.unitPrice).toFixed(2)} / ${row.unit || 'unit'}` : '' }),
        el('td', { textContent: row.scrapedDate }),
      ]));
      $('history-store').append(el('option', { value: String(row.storeId), textContent: storeLabel(row.store) }));
    });
    if (prices.prices.length > 0) await history(id, prices.prices[0].storeId);
    else drawChart(null);
  }

  async function history(id, storeId) {
    const h = await api(`/api/products/${id}/history?store_id=${storeId}`);
    drawChart(h.points);
  }

  function drawChart(points) {
    if (state.chart) { state.chart.destroy(); state.chart = null; }
    $('chart').replaceChildren();
    if (!points || points.length === 0) { $('chart-caption').textContent = 'No price history.'; return; }
    const xs = points.map((p) => Date.parse(`${p.date}T00:00:00Z`) / 1000);
    const ys = points.map((p) => Number(p.price));
    if (xs.length === 1) { xs.push(xs[0] + 86400); ys.push(ys[0]); }
    const width = Math.min(800, $('chart').clientWidth || 800);
    state.chart = new uPlot({
      width, height: 300,
      scales: { x: { time: true } },
      series: [{}, { label: 'Price ($)', stroke: '#0b5d3b', width: 2, fill: 'rgba(11,93,59,0.08)', paths: uPlot.paths.stepped({ align: 1 }) }],
      axes: [{}, { values: (u, vals) => vals.map((v) => `$${v.toFixed(2)}`) }],
    }, [xs, ys], $('chart'));
    $('chart-caption').textContent = `${points.length} price point(s) from ${points[0].date} to ${points[points.length - 1].date}.`;
  }

  // Stores
  async function listStores(filter) {
    const page = await api(`/api/stores?limit=200${filter ? `&q=${encodeURIComponent(filter)}` : ''}`);
    renderStores(page.items);
  }
  function renderStores(stores) {
    const chosen = new Set(state.stores.map((s) => s.id));
    $('store-list').replaceChildren(...stores.map((s) => {
      const box = el('input', { type: 'checkbox', id: `store-${s.id}`, checked: chosen.has(s.id) });
      box.addEventListener('change', () => {
        state.stores = state.stores.filter((x) => x.id !== s.id);
        if (box.checked) state.stores.push({ id: s.id, company: s.company, name: s.name, code: s.code, postcode: s.postcode });
        save();
      });
      return el('li', {}, [box, el('label', { htmlFor: `store-${s.id}`, textContent: ` ${storeLabel(s)}${s.distanceKm !== undefined ? `, ${s.distanceKm} km` : ''}` })]);
    }));
  }
  // Stores by distance need the store registry's postcodes; the OpenAPI document says whether this server has them.
  let nearAvailable;
  async function canFindNear() {
    if (nearAvailable === undefined) {
      const doc = await api('/api/openapi.json');
      const route = doc.paths && doc.paths['/api/stores'] && doc.paths['/api/stores'].get;
      nearAvailable = Boolean(route && (route.parameters || []).some((p) => p.name === 'near'));
    }
    return nearAvailable;
  }
  async function near(postcode, radius) {
    if (!(await canFindNear())) {
      $('near-status').textContent = 'This server cannot find stores by postcode yet; filter the list of all stores instead.';
      await listStores('');
      return;
    }
    const page = await api(`/api/stores?near=${encodeURIComponent(postcode)}&radius_km=${encodeURIComponent(radius)}`);
    $('near-status').textContent = `${page.items.length} store(s) within ${radius} km of ${postcode}.`;
    renderStores(page.items);
  }

  // Basket
  function renderBasket() {
    $('basket-items').replaceChildren(...state.basket.map((item) => {
      const remove = el('button', { type: 'button', textContent: 'Remove' });
      remove.setAttribute('aria-label', `Remove ${item.name}`);
      remove.addEventListener('click', () => { state.basket = state.basket.filter((x) => x.id !== item.id); save(); renderBasket(); });
      return el('li', {}, [`${item.quantity} × `, el('a', { href: `#/product/${item.id}`, textContent: item.name }), ' ', remove]);
    }));
    if (state.basket.length === 0) $('basket-items').append(el('li', { textContent: 'The basket is empty: add products from their pages.' }));
  }
  async function split() {
    if (state.basket.length === 0 || state.stores.length === 0) { showError(new Error('Add products to the basket and pick your stores first.')); return; }
    const plan = await api('/api/basket/split', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ items: state.basket.map((i) => ({ product_id: i.id, quantity: i.quantity })), store_ids: state.stores.map((s) => s.id), max_stores: Number($('max-stores').value), substitutes: $('allow-subs').checked }),
    });
    const names = new Map(state.basket.map((i) => [i.id, i.name]));
    const stores = new Map(plan.stores.map((s) => [s.id, storeLabel(s)]));
    const rows = plan.items.map((i) => el('tr', {}, [
      el('td', { textContent: names.get(i.productId) || `#${i.productId}` }),
      el('td', { textContent: String(i.quantity) }),
      el('td', { textContent: stores.get(i.storeId) || String(i.storeId) }),
      el('td', { textContent: `$${i.cost}` }),
      el('td', { textContent: i.swap ? `swapped for #${i.swap.productId} (level ${i.swap.level})` : '' }),
    ]));
    const table = el('table', { id: 'plan-table' }, [
      el('caption', { textContent: 'Where to buy each item' }),
      el('thead', {}, [el('tr', {}, ['Item', 'Qty', 'Store', 'Cost', 'Swap'].map((h) => el('th', { scope: 'col', textContent: h })))]),
      el('tbody', {}, rows),
    ]);
    const summary = el('p', { id: 'plan-total', textContent: `Total $${plan.total} at ${plan.stores.map((s) => `${storeLabel(s)} ($${s.total})`).join(', ')}.` });
    const single = plan.bestSingleStore ? el('p', { textContent: plan.saving !== null ? `The best single store costs $${plan.bestSingleStore.total}: this plan saves $${plan.saving}.` : `The best single store costs $${plan.bestSingleStore.total} but lacks ${plan.bestSingleStore.unserved} item(s).` }) : '';
    const missing = plan.unserved.map((u) => el('p', { textContent: `Not bought: ${names.get(u.productId) || `#${u.productId}`} (${u.reason.replaceAll('-', ' ')}).` }));
    $('plan').replaceChildren(summary, single, table, ...missing);
  }

  // Routing
  async function route() {
    const hash = location.hash || '#/';
    try {
      let m;
      if ((m = /^#\/product\/(\d+)$/.exec(hash))) await product(Number(m[1]));
      else if ((m = /^#\/search\/(.+)$/.exec(hash))) { $('search-input').value = decodeURIComponent(m[1]); await search(decodeURIComponent(m[1]), false); }
      else if (hash === '#/stores') { show('view-stores'); await listStores($('store-filter').value); }
      else if (hash === '#/basket') { show('view-basket'); renderBasket(); }
      else show('view-search');
    } catch (error) {
      showError(error.status === 401 ? new Error('This server needs an API key for these routes; start it with --public to open them.') : error);
    }
  }
  const guard = (fn) => (event) => { if (event && event.preventDefault) event.preventDefault(); Promise.resolve(fn(event)).catch(showError); };

  $('search-form').addEventListener('submit', guard(() => { location.hash = `#/search/${encodeURIComponent($('search-input').value.trim())}`; }));
  $('more').addEventListener('click', guard(() => search(state.query, true)));
  $('history-store').addEventListener('change', guard(() => history(state.product.id, Number($('history-store').value))));
  $('add-form').addEventListener('submit', guard(() => {
    const quantity = Math.max(1, Math.min(999, Number($('add-quantity').value) || 1));
    const existing = state.basket.find((i) => i.id === state.product.id);
    if (existing) existing.quantity = quantity; else state.basket.push({ id: state.product.id, name: state.product.name, quantity });
    save();
    $('add-status').textContent = `${quantity} × ${state.product.name} in the basket.`;
  }));
  $('near-form').addEventListener('submit', guard(() => near($('postcode').value, $('radius').value)));
  let filterTimer;
  $('store-filter').addEventListener('input', () => { clearTimeout(filterTimer); filterTimer = setTimeout(() => listStores($('store-filter').value).catch(showError), 200); });
  $('split-form').addEventListener('submit', guard(split));
  window.addEventListener('hashchange', route);
  save();
  route();
})();
