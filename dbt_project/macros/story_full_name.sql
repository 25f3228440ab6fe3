{#
  Join a row naming a person by one word to the full name its story gives them
  (int_story_person_names, imported as `full_names`): "Castillo" -> "Ray Castillo".
  relation: the row's relation; name: its column holding the canonical name;
  person: the condition that the row is about a person.
  The condition is inside the key (null for a row about no person, which matches nothing),
  not beside it: an equality join alone is a hash join, 0.6 s against 2.2 s over the 934,502
  mentions of a 20k-article warehouse (2026-12-03).
#}
{% macro join_story_full_name(relation, name, person) -%}
    left join full_names
        on
            {{ relation }}.article_id = full_names.article_id
            and full_names.short_name = case when {{ person }} then lower(trim({{ relation }}.{{ name }})) end
{%- endmacro %}
