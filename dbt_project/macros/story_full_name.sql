{#
  Join a row naming a person by one word to the full name its story gives them
  (int_story_person_names, imported as `full_names`): "Castillo" -> "Ray Castillo".
  relation: the row's relation; name: its column holding the canonical name;
  person: the condition that the row is about a person.
#}
{% macro join_story_full_name(relation, name, person) -%}
    left join full_names
        on
            {{ relation }}.article_id = full_names.article_id
            and full_names.short_name = lower(trim({{ relation }}.{{ name }}))
            and {{ person }}
{%- endmacro %}
