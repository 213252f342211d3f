// graphql-codegen: typed documents (client preset) for the operations in
// src/operations.ts, from the whole schema in ../schema.graphql (written by
// go generate). Output in src/gql/, not committed: `npm run build` makes it.
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "../schema.graphql",
  documents: ["src/**/*.ts", "!src/gql/**"],
  ignoreNoDocuments: false,
  generates: {
    "src/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        strictScalars: true,
        scalars: {
          ID: "string",
          Cursor: "string",
          Money: "string",
          Date: "string",
          Time: "string",
          // A file of a GraphQL multipart request (uploadDocument): the
          // browser's File or Blob, sent by an upload-capable link.
          Upload: "File | Blob",
        },
      },
    },
    // The schema's enums, including ErrorCode, which no operation selects
    // but the portal switches on (extensions.code).
    "src/gql/enums.ts": {
      plugins: ["typescript"],
      config: { onlyEnums: true, enumsAsTypes: true },
    },
  },
};

export default config;
