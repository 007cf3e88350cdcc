# agent-sla itself: Node 20 and this repository with its production dependencies, entry `node cli/agent-sla.js`.
# The pods of `agent-sla k8s` run it (`agent-sla exec` on their execution segment). Build from the repository root:
#   docker build -f deploy/k8s/agent-sla.Dockerfile -t agent-sla:0.1.0 .
# The root .dockerignore keeps node_modules, dist, .tools, .data, reports and .git out of the build context.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# tsx (and the esbuild it brings) is a runtime dependency: the CLI and the engine run their TypeScript directly.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund
COPY . .
# The engine writes its worker bundle under .tools/ on first use; the pods run as the unprivileged node user.
RUN mkdir -p .tools && chown node:node .tools
USER node
ENTRYPOINT ["node", "cli/agent-sla.js"]
CMD ["--help"]
