{# Who carried it first, as every mart orders it: earliest published, an original before a
   copy or rewrite on a tie, then the one loaded first. #}
{% macro first_carried_order() -%}
    published_date nulls last, case syndication when 'original' then 0 else 1 end, loaded_at, article_id
{%- endmacro %}
