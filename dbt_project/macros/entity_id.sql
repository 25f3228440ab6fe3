{# A 16-hex-digit id from an expression: the one way the marts make surrogate keys. #}
{% macro short_id(expression) -%}
    substr(md5({{ expression }}), 1, 16)
{%- endmacro %}

{# One id per canonical name, whatever its case: every surface variant of an entity shares it. #}
{% macro entity_id(name) -%}
    {{ short_id('lower(' ~ name ~ ')') }}
{%- endmacro %}
