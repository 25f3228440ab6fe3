"""Model: the dbt project (dbt_project/) built against a warehouse file."""
