-- For every article: is it an original, a copy or a rewrite, and of which original?
-- A derived article points at the root of its chain (a copy of a copy points at the first).
with recursive links as (
    select * from {{ ref('stg_article_links') }}
    where relation in ('copy', 'rewrite')
),

articles as (
    select
        article_id,
        published_date
    from {{ ref('stg_articles') }}
),

-- each derived article's closest source: a copy beats a rewrite, then the earliest source
direct_source as (
    select
        links.article_id,
        links.linked_article_id as source_article_id,
        links.relation
    from links
    inner join articles as source on links.linked_article_id = source.article_id
    qualify row_number() over (
        partition by links.article_id
        order by
            case links.relation when 'copy' then 0 else 1 end,
            source.published_date nulls last, links.linked_article_id
    ) = 1
),

chain as (
    select
        article_id,
        source_article_id,
        relation,
        1 as depth
    from direct_source
    union all
    select
        chain.article_id,
        direct_source.source_article_id,
        chain.relation,
        chain.depth + 1 as depth
    from chain
    inner join direct_source on chain.source_article_id = direct_source.article_id
    where chain.depth < 20
),

root as (
    select
        article_id,
        source_article_id,
        relation
    from chain
    qualify row_number() over (partition by article_id order by depth desc) = 1
),

final as (
    select
        articles.article_id,
        coalesce(root.relation, 'original') as syndication,
        root.source_article_id as derived_from_article_id
    from articles
    left join root using (article_id)
)

select * from final
