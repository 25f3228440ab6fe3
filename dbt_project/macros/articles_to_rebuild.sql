{#
  The CTEs `built` and `changed` of an incremental model keyed by article and built on the
  story's names (int_entity_mentions, int_quotes): the articles whose rows are new or were
  built under another name context than the article has now (int_article_name_contexts,
  imported as `contexts`). relation: the model's own table ({{ this }}).
#}
{% macro articles_to_rebuild(relation) -%}
    built as (
        select
            article_id,
            any_value(name_context) as name_context
        from {{ relation }}
        group by article_id
    ),

    changed as (
        select contexts.article_id
        from contexts
        left join built using (article_id)
        where built.article_id is null or built.name_context is distinct from contexts.name_context
    )
{%- endmacro %}
