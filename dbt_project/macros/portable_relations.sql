{#
  ref() and source() without the database: dbt-duckdb names the database (the file's stem) in
  every relation, and DuckDB 1.5 stores that name in a view's SQL, so a copy of the warehouse
  under another file name could not query its views (marts.quotes: 'Catalog "news" does not
  exist'). Unqualified, a view's relations resolve in the view's own database.
#}
{% macro ref() -%}
    {%- do return(builtins.ref(*varargs, **kwargs).include(database=false)) -%}
{%- endmacro %}

{% macro source() -%}
    {%- do return(builtins.source(*varargs, **kwargs).include(database=false)) -%}
{%- endmacro %}
