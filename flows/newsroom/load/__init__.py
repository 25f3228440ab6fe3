"""Load: DuckDB landing tables (DDL in sql/), and publishing the warehouse file."""
