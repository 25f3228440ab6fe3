-- Who is quoted most (speakers resolved to their canonical entity), what kind of speaker, and in
-- how many outlets.
select
    coalesce(e.canonical_name, q.speaker_text) as speaker,
    q.speaker_kind,
    count(*) as quotes,
    count(distinct a.outlet) as outlets
from marts.quotes q
join marts.articles a using (article_id)
left join marts.entities e on e.entity_id = q.speaker_entity_id
where q.speaker_text is not null
group by 1, 2
order by quotes desc, speaker
limit 20;
