-- Who is quoted most (speakers resolved to their canonical entity), what kind of speaker, and in
-- how many outlets.
select
    coalesce(e.canonical_name, q.speaker_text) as speaker,
    q.speaker_kind,
    count(*) as quotes,
    count(distinct a.outlet) as outlets
from marts.quotes as q
inner join marts.articles as a using (article_id)
left join marts.entities as e on q.speaker_entity_id = e.entity_id
where q.speaker_text is not null
group by speaker, q.speaker_kind
order by quotes desc, speaker asc
limit 20;
