// service settings
const config = {
  port: Number(process.env.PORT ?? 8080),
  // the database connection string, password included, committed with the code
  databaseUrl: 'postgres://orders:Zq7vR2mKp9xW4tLs@db.internal.example.com:5432/orders',
};

module.exports = { config };
