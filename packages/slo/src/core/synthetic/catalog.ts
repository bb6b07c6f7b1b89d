import type { JourneyKey } from '@slo-scout/schema';

/** One operation a synthetic service serves: an HTTP route, an RPC method or a named span. */
export interface ShopOperation {
  readonly service: string;
  readonly protocol: 'http' | 'rpc' | 'messaging' | 'internal';
  readonly method?: string;
  readonly route?: string;
  readonly rpcService?: string;
  readonly rpcMethod?: string;
  readonly spanName?: string;
  /** Downstream operations called in order. */
  readonly calls: readonly string[];
  readonly medianMs: number;
  readonly sigma: number;
  readonly errorRate: number;
  /** Share of requests answered 404 (client errors, not server errors). */
  readonly notFoundRate?: number;
}

/** A journey entry the generator drives, with what discovery should say about it. */
export interface ShopEntry {
  readonly id: string;
  readonly op: string;
  /** The frontend page that triggers it, for RUM. */
  readonly page?: string;
  readonly critical: boolean;
  readonly userFacing: boolean;
  /** Rare entries must end up in the `other` group. */
  readonly rare: boolean;
}

/** Every operation of the synthetic shop, by id. */
export const SHOP_OPERATIONS: Readonly<Record<string, ShopOperation>> = {
  'storefront.browse': http('storefront GET /products', ['catalog.list'], 45),
  'storefront.product': http('storefront GET /products/{id}', ['catalog.get', 'reviews.list'], 40),
  'storefront.search': http('storefront GET /search', ['search.query'], 70),
  'storefront.add': http('storefront POST /cart/items', ['cart.add'], 35),
  'storefront.cart': http('storefront GET /cart', ['cart.get'], 25),
  'storefront.checkout': http('storefront POST /checkout', ['checkout.place', 'cart.clear'], 60),
  'storefront.admin': http('storefront GET /admin/reports', ['catalog.list'], 300),
  'storefront.wishlist': http('storefront PUT /wishlist/{id}', [], 20),
  'catalog.list': http('catalog GET /api/products', [], 30),
  'catalog.get': { ...http('catalog GET /api/products/{id}', [], 12), notFoundRate: 0.03 },
  'search.query': http('search GET /api/search', [], 80),
  'reviews.list': rpc('reviews shop.Reviews/List', [], 15),
  'cart.add': http('cart POST /api/cart/items', ['inventory.reserve'], 10),
  'cart.get': http('cart GET /api/cart', [], 8),
  'cart.clear': http('cart DELETE /api/cart', [], 6),
  'inventory.reserve': rpc('inventory shop.Inventory/Reserve', [], 9),
  'inventory.stock': rpc('inventory shop.Inventory/GetStock', [], 7),
  'checkout.place': http('checkout POST /api/checkout', ['payment.charge', 'orders.consume'], 40),
  'payment.charge': { ...rpc('payment shop.Payment/Charge', [], 120), errorRate: 0.004 },
  'orders.consume': {
    service: 'order-worker',
    protocol: 'messaging',
    spanName: 'orders process',
    calls: [],
    medianMs: 25,
    sigma: 0.4,
    errorRate: 0.001,
  },
  'reaper.run': {
    service: 'order-reaper',
    protocol: 'internal',
    spanName: 'reap expired orders',
    calls: [],
    medianMs: 900,
    sigma: 0.3,
    errorRate: 0.001,
  },
};

/** The entries that start traces, with their expected discovery. */
export const SHOP_ENTRIES: readonly ShopEntry[] = [
  entry('browse', 'storefront.browse', { page: '/products', critical: false }),
  entry('product', 'storefront.product', { page: '/products/:id', critical: false }),
  entry('search', 'storefront.search', { page: '/search', critical: false }),
  entry('cart', 'storefront.add', { page: '/cart', critical: true }),
  entry('view-cart', 'storefront.cart', { page: '/cart/view', critical: false }),
  entry('checkout', 'storefront.checkout', { page: '/checkout', critical: true }),
  { id: 'partner-stock', op: 'inventory.stock', critical: false, userFacing: true, rare: false },
  { id: 'reaper', op: 'reaper.run', critical: false, userFacing: false, rare: false },
  { id: 'admin', op: 'storefront.admin', critical: false, userFacing: true, rare: true },
  { id: 'wishlist', op: 'storefront.wishlist', critical: true, userFacing: true, rare: true },
];

/** Multi-step flows real sessions follow, as entry ids; the first is the purchase funnel. */
export const SHOP_FLOWS: readonly { readonly steps: readonly string[]; readonly weight: number }[] =
  [
    { steps: ['browse', 'product', 'cart', 'view-cart', 'checkout'], weight: 0.3 },
    { steps: ['search', 'product', 'cart'], weight: 0.25 },
    { steps: ['browse', 'product'], weight: 0.45 },
  ];

/** The journey key an operation's entry span should be discovered under. */
export function toOperationKey(opId: string): JourneyKey {
  const op = SHOP_OPERATIONS[opId];
  if (op === undefined) throw new Error(`unknown operation ${opId}`);
  if (op.protocol === 'http')
    return { type: 'http', service: op.service, method: op.method!, route: op.route! };
  if (op.protocol === 'rpc')
    return {
      type: 'rpc',
      service: op.service,
      rpcService: op.rpcService!,
      rpcMethod: op.rpcMethod!,
    };
  return { type: 'span', service: op.service, spanName: op.spanName! };
}

function http(signature: string, calls: string[], medianMs = 20): ShopOperation {
  const [service, method, route] = signature.split(' ') as [string, string, string];
  return {
    service,
    protocol: 'http',
    method,
    route,
    calls,
    medianMs,
    sigma: 0.5,
    errorRate: 0.001,
  };
}

function rpc(signature: string, calls: string[], medianMs = 10): ShopOperation {
  const [service, full] = signature.split(' ') as [string, string];
  const [rpcService, rpcMethod] = full.split('/') as [string, string];
  return {
    service,
    protocol: 'rpc',
    rpcService,
    rpcMethod,
    calls,
    medianMs,
    sigma: 0.5,
    errorRate: 0.001,
  };
}

function entry(id: string, op: string, o: { page: string; critical: boolean }): ShopEntry {
  return { id, op, page: o.page, critical: o.critical, userFacing: true, rare: false };
}
