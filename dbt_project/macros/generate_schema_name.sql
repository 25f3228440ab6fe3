{#- Analysts query marts.articles, not main_marts.articles: use the configured schema as is. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ custom_schema_name if custom_schema_name is not none else target.schema }}
{%- endmacro %}
