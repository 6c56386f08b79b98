// orders kept in memory
const ORDERS = {
  1: { id: 1, item: 'book', quantity: 2 },
  2: { id: 2, item: 'lamp', quantity: 1 },
};

/** The order `id`, or one of its fields. */
function lookupOrder(id, field) {
  const order = ORDERS[id];
  if (!order) return undefined;
  return field ? { [field]: order[field] } : order;
}

module.exports = { lookupOrder };
