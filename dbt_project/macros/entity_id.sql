{# One id per canonical name, whatever its case: every surface variant of an entity shares it. #}
{% macro entity_id(name) -%}
    substr(md5(lower({{ name }})), 1, 16)
{%- endmacro %}
