// faiss-node 0.5 is written against FAISS >= 1.7.4, which declares faiss::idx_t at namespace
// scope. Debian bookworm's libfaiss-dev is 1.7.3, where idx_t is only a member of faiss::Index.
// build-faiss-node.sh force-includes this header (-include) only for such a FAISS.
#pragma once
#include <faiss/Index.h>
namespace faiss {
using idx_t = Index::idx_t;
}
