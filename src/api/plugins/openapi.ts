/**
 * OpenAPI 3 from the route schemas (@fastify/swagger), served at
 * /openapi.json, and a small self-contained docs page at /docs that renders
 * it (no CDN, works offline). Also: shared schemas by $id, the security
 * schemes, and the error responses every route may return.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';
import swagger from '@fastify/swagger';
import { ERROR_SCHEMA } from './errors.ts';
import { PAGE_QUERY_SCHEMA } from './pagination.ts';
import { PUBLIC_ROUTES, SESSION_COOKIE, isApiPath } from './auth.ts';

export interface RouteInfo {
  method: string;
  url: string;
  schema?: RouteOptions['schema'];
  /** Route-level body limit when it overrides the app's (bytes). */
  bodyLimit?: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route as registered (the security tests walk this table). */
    routeTable: RouteInfo[];
  }
}

export async function installOpenApi(app: FastifyInstance): Promise<void> {
  app.addSchema(ERROR_SCHEMA);
  app.addSchema(PAGE_QUERY_SCHEMA);
  app.decorate('routeTable', [] as RouteInfo[]);

  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const m of methods) app.routeTable.push({ method: m, url: route.url, schema: route.schema, bodyLimit: route.bodyLimit });
    if (!isApiPath(route.url) || route.schema?.hide) return;
    const schema = (route.schema ??= {});
    const s = schema as Record<string, unknown>;
    if (methods.every((m) => PUBLIC_ROUTES.has(`${m} ${route.url}`))) s.security = [];
    // Every API route can answer with the error shape.
    const resp = (s.response ??= {}) as Record<string, unknown>;
    for (const k of ['4xx', '5xx']) if (!(k in resp)) resp[k] = { $ref: 'Error#' };
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'binku 并库 API',
        version: '0.1.0',
        description:
          '防止返贫监测与低收入人口动态监测并库比对 API。除登录与健康检查外均须认证：请求头 `Authorization: Bearer <token>`（由 POST /api/auth/login 取得），或网页界面的会话 Cookie。' +
          '身份证号与姓名默认脱敏（6+****+4）；查看完整信息须有 unmask 权限并填写事由，且记入审计日志。列表接口分页：page、pageSize（≤ 500）。错误格式见 components.schemas.Error。',
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: '登录返回的会话令牌' },
          cookieAuth: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
        },
      },
      security: [{ bearerAuth: [] }, { cookieAuth: [] }],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/docs', { schema: { hide: true } }, async (_req, reply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(DOCS_HTML));
}

const DOCS_HTML = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>binku 并库 API 文档</title>
<style>
body{font-family:system-ui,"Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
header{background:#1677ff;color:#fff;padding:16px 24px}header h1{margin:0;font-size:20px}header p{margin:6px 0 0;font-size:13px;opacity:.9}
main{max-width:1100px;margin:0 auto;padding:16px 24px}
h2{font-size:17px;border-bottom:1px solid #d0d7de;padding-bottom:4px;margin-top:28px}
details{background:#fff;border:1px solid #d0d7de;border-radius:6px;margin:6px 0}
summary{cursor:pointer;padding:8px 12px;font-family:ui-monospace,monospace;font-size:13px}
.m{display:inline-block;min-width:58px;font-weight:bold;text-align:center;border-radius:4px;color:#fff;margin-right:8px;padding:1px 4px}
.get{background:#1a7f37}.post{background:#1677ff}.put,.patch{background:#bf8700}.delete{background:#cf222e}.head{background:#6e7781}
.s{color:#57606a;margin-left:10px;font-family:system-ui,sans-serif}
.b{padding:4px 16px 12px;font-size:13px}pre{background:#f6f8fa;padding:8px;overflow:auto;max-height:360px;font-size:12px}
table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:3px 8px;text-align:left;font-size:12px}
.lock{color:#bf8700}
</style></head><body>
<header><h1>binku 并库 API</h1><p id="desc">加载 /openapi.json …</p></header>
<main id="root"></main>
<script>
const esc=(s)=>String(s==null?'':s).replace(/[&<>"]/g,(c)=>({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));
fetch('/openapi.json').then(r=>r.json()).then((doc)=>{
  document.getElementById('desc').textContent=doc.info.description||'';
  const groups={};
  for(const [path,ops] of Object.entries(doc.paths||{})){
    for(const [method,op] of Object.entries(ops)){
      const tag=(op.tags&&op.tags[0])||'其他';(groups[tag]=groups[tag]||[]).push({path,method,op});
    }
  }
  let html='<p>OpenAPI 文档：<a href="/openapi.json">/openapi.json</a>。错误格式：<code>{statusCode, code, message, message_en, details}</code>。</p>';
  for(const tag of Object.keys(groups).sort()){
    html+='<h2>'+esc(tag)+'</h2>';
    for(const {path,method,op} of groups[tag]){
      const open=op.security&&op.security.length===0?'':' <span class="lock" title="需要登录">&#128274;</span>';
      html+='<details><summary><span class="m '+method+'">'+method.toUpperCase()+'</span>'+esc(path)+open+'<span class="s">'+esc(op.summary||'')+'</span></summary><div class="b">';
      if(op.description)html+='<p>'+esc(op.description)+'</p>';
      if(op.parameters&&op.parameters.length){html+='<table><tr><th>参数</th><th>位置</th><th>必填</th><th>类型</th><th>说明</th></tr>';
        for(const p of op.parameters)html+='<tr><td>'+esc(p.name)+'</td><td>'+esc(p.in)+'</td><td>'+(p.required?'是':'')+'</td><td>'+esc((p.schema&&p.schema.type)||'')+'</td><td>'+esc(p.description||(p.schema&&p.schema.description)||'')+'</td></tr>';
        html+='</table>';}
      if(op.requestBody)html+='<p>请求体</p><pre>'+esc(JSON.stringify(op.requestBody.content,null,2))+'</pre>';
      if(op.responses)html+='<p>响应</p><pre>'+esc(JSON.stringify(op.responses,null,2))+'</pre>';
      html+='</div></details>';
    }
  }
  if(doc.components&&doc.components.schemas)html+='<h2>共用结构</h2><pre>'+esc(JSON.stringify(doc.components.schemas,null,2))+'</pre>';
  document.getElementById('root').innerHTML=html;
}).catch((e)=>{document.getElementById('desc').textContent='无法加载 /openapi.json: '+e});
</script></body></html>`;
